"""Data as text in the Markdown a step writes: for step authors (`from galley.steps.markdown
import escape_cell`).

galley takes a step's Markdown as the author's own, markup and all, as Quarto takes an
include. A value that comes from data (a CSV cell, a bibliography field) must therefore be
escaped where the script writes it, or `<img src=x onerror=alert(1)>` in a data file becomes a
live element of the HTML, and `*`, `@key` or `$x$` in it become emphasis, a citation or math.
"""

from __future__ import annotations

import re

# Every character with which pandoc's Markdown starts markup inside a table cell (emphasis,
# code, links and images, raw HTML and entities, the cell separator, math, citations,
# superscript, subscript and strikeout, attributes and spans). Pandoc reads a backslash before
# any ASCII punctuation as that character (`all_symbols_escapable`), so each is written `\c`.
SPECIAL = re.compile(r"[\\`*_\[\]<>&|$@^~{}]")
LINE_BREAK = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
# A citation key pandoc reads written plainly after `@`: word characters, with single internal
# punctuation between them (pandoc's own rule, without `<` and `>`, which could open HTML).
PLAIN_KEY = re.compile(r"\w+(?:[:.#$%&+?~/-]\w+)*")


def escape_cell(value: object) -> str:
    """`value` as Markdown that pandoc reads back as exactly its text, on one line (a pipe
    table's cell): markup characters escaped, line breaks made spaces. None is an empty cell."""
    text = "" if value is None else str(value)
    return SPECIAL.sub(lambda m: "\\" + m[0], LINE_BREAK.sub(" ", text))


def citation(key: object) -> str:
    """A citation (or cross-reference) of `key`, taken from data: `@key` when pandoc reads all
    of it as the key, else the escaped text `@key`, which cites nothing (pandoc's braced form
    `@{…}` is no way out: with a space in it, it is no citation, and the rest is read as
    Markdown)."""
    text = str(key)
    return "@" + text if PLAIN_KEY.fullmatch(text) else escape_cell("@" + text)
