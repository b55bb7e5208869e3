"""`missing-alt-text` and `skipped-heading-level`: what the page withholds from readers who cannot
see it (a figure with nothing to say to a screen reader, a hole in the outline it navigates by).

Quarto renders both, so `galley build` only warns about them; `galley check` reports them as
errors, so a project's CI still fails on them. The rules read masked lines (code blanked out)
with the place each came from, so the check (one file at a time) and the build (the expanded
sources) share them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from galley.reading.documents import Document
from galley.util.findings import Finding

IMAGE = re.compile(
    r"!\[(?P<alt>(?:[^\[\]]|\[[^\[\]]*\])*)\]\((?P<src>[^)\s]+)[^)]*\)(?P<attrs>\{[^}]*\})?"
)
FIG_ALT = re.compile(r"""\bfig-alt\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s}]+))""")
FIG_ID = re.compile(r"#(fig-[\w-]+)")
ATX_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+\S")
ALT_FIX = (
    'add fig-alt="..." to its attributes, saying what the image shows for readers who cannot see it'
)


@dataclass(frozen=True)
class Placed:
    """One masked source line and where the author edits it."""

    text: str
    path: str
    line: int
    cell: int | None = None


def _alt_text(attrs: str) -> str:
    match = FIG_ALT.search(attrs)
    return (match["dq"] or match["sq"] or match["bare"] or "").strip() if match else ""


def _missing_alt(line: Placed) -> list[Finding]:
    found = []
    for image in IMAGE.finditer(line.text):
        attrs = image["attrs"] or ""
        label = FIG_ID.search(attrs)
        # A labelled figure's bracket text is its caption, which a screen reader meets anyway.
        if _alt_text(attrs) or (not label and image["alt"].strip()):
            continue
        what = f"figure `{label[1]}`" if label else f"image `{image['src']}`"
        found.append(
            Finding(
                "missing-alt-text",
                line.path,
                line.line,
                f"{what} has no alt text",
                ALT_FIX,
                label=label[1] if label else None,
                cell=line.cell,
            )
        )
    return found


def accessibility_findings(lines: Iterable[Placed]) -> list[Finding]:
    """Both rules over consecutive lines of one text, in order."""
    found: list[Finding] = []
    previous_level = 0
    for line in lines:
        found += _missing_alt(line)
        heading = ATX_HEADING.match(line.text)
        if not heading:
            continue
        level = len(heading["hashes"])
        if previous_level and level > previous_level + 1:
            found.append(
                Finding(
                    "skipped-heading-level",
                    line.path,
                    line.line,
                    f"heading level {level} follows level {previous_level}, skipping a level",
                    f"use {'#' * (previous_level + 1)} here, or add the missing heading above",
                    cell=line.cell,
                )
            )
        previous_level = level
    return found


def document_findings(documents: Iterable[Document]) -> list[Finding]:
    """Each file (or notebook cell) on its own: an included file's first heading is not compared
    with the including file's, since the check does not know where the two meet in the text."""
    found = []
    for document in documents:
        lines = document.masked.text.split("\n")
        found += accessibility_findings(
            Placed(text, document.rel, number, document.cell)
            for number, text in enumerate(lines, start=1)
        )
    return found
