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


def shares_run(formats: Sequence[str], workers: int, fits: bool, citing: Sequence[str]) -> bool:
    """Whether the HTML's run writes the DOCX too: both are rendered, their runs would not go side
    by side (fewer workers than formats), the memory holds both documents in one run beside the
    others (`fits`: an article, not a book), and neither is the first to render the citations
    (which the other would wait for, in the same run, before it has rendered them)."""
    if not all(fmt in formats for fmt in PAIR) or workers >= len(formats) or not fits:
        return False
    return not (citing[1:] and citing[0] in PAIR)


def parted(stderr: str) -> Reports | None:
    """The run's stderr parted at the second format's end; None when the run ended before it
    (the run could not start or read its input, or died)."""
    end = SECOND_END.search(stderr)
    if end is None:
        return None
    return Reports(stderr[: end.start()], end[1] == "ok", stderr[end.end() :])
