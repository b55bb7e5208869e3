"""The static code of galley's Typst template (its definitions and rules), put into the .typ
after pandoc has written it.

Pandoc parses a template slowly, and renders its text into the output slowly too: the 12 KB
template cost each PDF's pandoc run 16 ms of CPU against one holding `$body$` alone, though most
of it is Typst code with nothing for pandoc to fill in (a raw metadata value carrying that code
still cost 10 ms). So article.typ holds what pandoc fills in, and each of its lines
`// galley: NAME` stands for the resource NAME: Typst code with no pandoc variable, which galley
writes in its place. The .typ is then what the whole template wrote. Only a raw Typst block of the
author's own (`include-in-header`) could hold such a line before the template's: pandoc writes
a `//` in the author's text as `/\\/`.
"""

from __future__ import annotations

from pathlib import Path

from galley.engines.pandoc_run import RESOURCES

# The template's parts, in the order of their lines in it.
PARTS = ("article-running-head.typ", "article-rules.typ", "article-blocks.typ")


def place_template_parts(typ: Path) -> None:
    """Write each of the template's parts into the .typ in place of its line."""
    text = typ.read_text(encoding="utf-8")
    pieces = []
    start = 0
    for name in PARTS:
        line = f"\n// galley: {name}\n"
        at = text.find(line, start)
        if at < 0:
            raise RuntimeError(f"galley's Typst template has no line `{line.strip()}`")
        pieces += [text[start : at + 1], (RESOURCES / name).read_text(encoding="utf-8")]
        start = at + len(line)
    typ.write_text("".join(pieces) + text[start:], encoding="utf-8")
