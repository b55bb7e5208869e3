"""The HTML and the DOCX written by one pandoc run, when their runs would go one after the other
anyway (fewer cores than formats): the run writes the DOCX from its filter (pipeline.lua's
GALLEY_SECOND) before its own HTML, sharing pandoc's start, its reading of the article, its Lua
state and its heap's first full collection, about 40 ms of CPU on this repository's article
(docs/lua-filter-costs.md). Each format still stands on its own: the run says on stderr where the
DOCX's report ends and whether it was written, and the HTML goes on after a failed DOCX."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

# pipeline.lua's line after the second format's report.
SECOND_END = re.compile(r"^galley-second-format-end\t(ok|failed)\n", re.MULTILINE)
PAIR = ("html", "docx")


class Reports(NamedTuple):
    """A shared run's stderr, parted by format."""

    second: str  # the DOCX's filters and writer
    second_written: bool
    first: str  # the HTML's filters and writer


def shares_run(
    formats: Sequence[str], workers: int, fits: bool, citing: Sequence[str], read_once: bool
) -> bool:
    """Whether the HTML's run writes the DOCX too: both are rendered, their runs would not go side
    by side (fewer workers than formats), the memory holds both documents in one run beside the
    others (`fits`: an article, not a book), the run reads the build's one reading (`read_once`:
    a document with no metadata of its own, so that each format's is its metadata file's), and
    no format outside the pair waits for citations the pair renders (`renders_first`)."""
    if not all(fmt in formats for fmt in PAIR) or workers >= len(formats):
        return False
    if not fits or not read_once:
        return False
    return not renders_first(citing) or set(citing) <= set(PAIR)


def renders_first(citing: Sequence[str]) -> bool:
    """Whether one of the pair is the first format to render the citations (`citing`, in the
    order they render them: the PDF first, when it cites with pandoc's citeproc). Then the pair's
    run renders them in the DOCX's chain, its first, and the HTML's reads them: neither waits, and
    no one waits for the run."""
    return bool(citing) and citing[0] in PAIR


def parted(stderr: str) -> Reports | None:
    """The run's stderr parted at the second format's end; None when the run ended before it
    (the run could not start or read its input, or died)."""
    end = SECOND_END.search(stderr)
    if end is None:
        return None
    return Reports(stderr[: end.start()], end[1] == "ok", stderr[end.end() :])
