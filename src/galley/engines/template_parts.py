"""The static code of galley's Typst template (its definitions and rules), put into the .typ
after pandoc has written it.

Pandoc parses a template, and writes its text out, slowly: the 12 KB template made each PDF's
pandoc run allocate 21 MB more than one holding `$body$` alone (6 ms of CPU with galley's heap
options, 16 ms without), though most of it is Typst code with nothing for pandoc to fill in; as
a raw metadata value that code still cost a third as much. So article.typ holds what pandoc
fills in, and each of its lines `// galley: NAME` stands for the resource NAME, Typst code with
no pandoc variable, which galley writes in its place. Only a raw Typst block of the author's own
(`include-in-header`) could hold such a line before the template's: pandoc writes the `//` of
the author's text as `/\\/`.
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
