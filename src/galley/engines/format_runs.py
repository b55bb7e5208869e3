"""How the embedded engine's format runs share the machine (galley.engines.pandoc): how many go
side by side for an article's length, which formats render the citations in their filter, and
each format's outcome once its run, and the PDF's compile, have ended."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future

from galley.engines.options import Failures
from galley.engines.pandoc_metadata import merged_settings
from galley.errors import GalleyError
from galley.project import Project
from galley.reading.sources import Source
from galley.rendering.styles import csl_path, in_text_style
from galley.rendering.typst_citations import native_citations

MB = 1 << 20
# A pandoc run holds the whole article, its citations and the filters' state: measured on this
# article's HTML, DOCX and Typst runs, about 240 MB at 30x its size (0.6 MB of text) and 470 MB
# at 100x (2 MB), growing by about 165 bytes per character of text.
PANDOC_BASE, PANDOC_PER_CHARACTER = 140 * MB, 165
# What the pandoc runs side by side may take together: a book's three would take 1.4 GB.
SIDE_BY_SIDE_MEMORY = 800 * MB


def side_by_side(characters: int, formats: Sequence[str]) -> int:
    """How many of the formats' pandoc runs go side by side for an article of this length."""
    run = PANDOC_BASE + PANDOC_PER_CHARACTER * characters
    return max(1, min(len(formats), SIDE_BY_SIDE_MEMORY // run))


def cites_in_filter(project: Project, source: Source, fmt: str) -> bool:
    """Whether `fmt`'s run renders the citations in citations.lua, which renders them once for
    all formats: an in-text style, and not Typst's own citations."""
    if not in_text_style(csl_path(project), project.root):
        return False
    return not native_citations(merged_settings(project, source, fmt), fmt)


def failures(
    formats: Sequence[str], futures: dict[str, Future[Callable[[], None] | None]]
) -> Failures:
    """Each format's run awaited, then the Typst compiles left to run; the formats that failed."""
    failed: Failures = {}
    compiles = {}
    for fmt in formats:
        try:
            typst_compile = futures[fmt].result()
        except GalleyError as exc:
            failed[fmt] = exc
            continue
        if typst_compile is not None:
            compiles[fmt] = typst_compile
    for fmt, typst_compile in compiles.items():
        try:
            typst_compile()
        except GalleyError as exc:
            failed[fmt] = exc
    return failed
