"""The HTML and the DOCX written by one pandoc run, when their runs would go one after the other
anyway (fewer cores than formats): the HTML's run writes the DOCX from its filter (pipeline.lua's
GALLEY_SECOND) before its own HTML, sharing pandoc's start, its reading of the article, its Lua
state and its heap's first full collection, about 50 ms of CPU on this repository's article
(docs/one-run-two-formats.md). Each format still stands on its own: the run says on stderr where
the DOCX's report ends and whether it was written, and the HTML goes on after a failed DOCX. A
DOCX whose writer would read what `--sandbox` withholds (pandoc.write in a filter is outside it:
an image outside the project, a remote one) is not written there but by a run of its own."""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import NamedTuple

from galley.engines.pandoc_run import Body, check_report, pandoc_process, run_environment
from galley.errors import GalleyError
from galley.project import Project
from galley.reading.sources import Source

# pipeline.lua's line after the second format's report.
SECOND_END = re.compile(r"^galley-second-format-end\t(ok|failed|apart)\n", re.MULTILINE)
PAIR = ("html", "docx")


class Reports(NamedTuple):
    """A shared run's stderr, parted by format."""

    second: str  # the DOCX's filters and writer
    status: str  # the DOCX's: written ("ok"), "failed", or left to a run of its own ("apart")
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
    return Reports(stderr[: end.start()], end[1], stderr[end.end() :])


def render_pair(
    project: Project,
    source: Source,
    inputs: dict[str, tuple[Path, Body]],
    html_args: list[str],
    docx_target: Path,
    finish: Callable[[str], None],
    alone: Callable[[str], object],
) -> dict[str, GalleyError | None]:
    """The HTML (`html_args`) and the DOCX (`docx_target`) written by one run, each format's
    report checked and its file finished (`finish`) on its own: each format's error, or None.
    `inputs`: each format's metadata file and body; `alone`: a format rendered by a run of its
    own, for the DOCX the run leaves, and for both when the run ends before the DOCX's part."""
    docx_meta_file, docx_body = inputs["docx"]
    second = docx_meta_file.parent / "second-docx.json"
    spec = {
        "format": "docx",
        "metadata": str(docx_meta_file),
        "output": str(docx_target),
        "environment": run_environment(project, docx_meta_file, docx_body, "docx"),
    }
    second.write_text(json.dumps(spec), encoding="utf-8")
    meta_file, body = inputs["html"]
    body = dataclasses.replace(body, added={**body.added, "GALLEY_SECOND": str(second)})
    result = pandoc_process(project, meta_file, body, "html", html_args)
    reports = parted(result.stderr)
    if reports is None:
        # Pandoc could not start or read the article, or died: each format on its own, to learn
        # which fails and why.
        return {fmt: _error(functools.partial(alone, fmt)) for fmt in PAIR}

    def check_and_finish(fmt: str, report: str, returncode: int) -> None:
        check_report(project, source, fmt, report, returncode)
        finish(fmt)

    errors = {"html": _error(lambda: check_and_finish("html", reports.first, result.returncode))}
    if reports.status == "apart":
        errors["docx"] = _error(lambda: alone("docx"))
    else:
        status = 0 if reports.status == "ok" else 1
        errors["docx"] = _error(lambda: check_and_finish("docx", reports.second, status))
    return errors


def settle(
    futures: dict[str, Future[Callable[[], None] | None]],
    render: Callable[[], dict[str, GalleyError | None]],
) -> None:
    """Each of the pair's futures set to its format's outcome of `render`."""
    try:
        errors = render()
    except BaseException as exc:  # galley's bug or an interrupt: for format_runs.failures to raise
        for fmt in PAIR:
            futures[fmt].set_exception(exc)
        return
    for fmt, error in errors.items():
        if error is None:
            futures[fmt].set_result(None)
        else:
            futures[fmt].set_exception(error)


def _error(render: Callable[[], object]) -> GalleyError | None:
    """What `render` failed with, or None."""
    try:
        render()
    except GalleyError as exc:
        return exc
    return None
