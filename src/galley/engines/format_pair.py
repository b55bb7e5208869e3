"""The HTML, the DOCX and the PDF's .typ written by one pandoc run, when their runs would go one
after the other anyway (fewer cores than formats): the HTML's run writes the .typ and then the
DOCX from its filter (pipeline.lua's GALLEY_SECOND) before its own HTML, sharing pandoc's start,
its reading of the article, its Lua state and its heap's first full collection
(docs/one-run-two-formats.md); galley compiles the .typ as soon as the run says it is written
(galley.engines.typst_run), on the other core. Each format still stands on its own: the run
says on stderr where each other format's report ends and whether it was written, and the next
format goes on after a failed one. A format whose writer would read what `--sandbox` withholds
(pandoc.write in a filter is outside it: an image outside the project, a remote one, pandoc's
data files in the user data folder) is not written there but by a run of its own."""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any, NamedTuple

from galley.engines.pandoc_run import Body, check_report, pandoc_process, run_environment
from galley.errors import GalleyError
from galley.project import Project
from galley.reading.sources import Source

# pipeline.lua's line after each other format's report.
OTHER_END = re.compile(r"^galley-second-format-end\t(\w+)\t(ok|failed|apart)\n", re.MULTILINE)
PAIR = ("html", "docx")
# The longest body a shared run writes: an article's length (this repository's is 20,000
# characters). At 1x the run saves 80 ms of CPU for about 20 ms of wall time; from twice that
# length on it costs more than it saves, in CPU (the DOCX's and the HTML's documents both live in
# one heap: +60 ms at 2x, +630 ms at 10x) and in wall time (the other core idles through the
# Typst chain): docs/one-run-two-formats.md.
SHARED_RUN_CHARACTERS = 32_000


class Report(NamedTuple):
    """A format's part of a shared run's stderr."""

    text: str  # its filters' and writer's report
    status: str  # written ("ok"), "failed", or left to a run of its own ("apart")


def shares_run(
    formats: Sequence[str], workers: int, length: int, citing: Sequence[str], read_once: bool
) -> bool:
    """Whether the HTML's run writes the DOCX too (and first the PDF's .typ, if rendered): both
    are rendered, their runs would not go side by side (fewer workers than formats), the body
    (`length` characters) is an article's length, the run reads the build's one reading
    (`read_once`: a document with no metadata of its own, so that each format's is its metadata
    file's), and no format outside the run waits for citations it renders (`renders_first`)."""
    if not all(fmt in formats for fmt in PAIR) or workers >= len(formats):
        return False
    if length > SHARED_RUN_CHARACTERS or not read_once:
        return False
    return not renders_first(citing) or set(citing) <= set(PAIR)


def shared_typst(formats: Sequence[str], paired: bool) -> str | None:
    """The PDF's format (`typst` or `pdf`) when the shared run (`paired`) writes its .typ too."""
    if not paired:
        return None
    return next((fmt for fmt in formats if fmt in ("typst", "pdf")), None)


def renders_first(citing: Sequence[str]) -> bool:
    """Whether one of the pair is the first format to render the citations (`citing`, in the
    order they render them: the PDF first, when it cites with pandoc's citeproc). Then the pair's
    run renders them in the DOCX's chain, its first, and the HTML's reads them: neither waits, and
    no one waits for the run."""
    return bool(citing) and citing[0] in PAIR


def parted(stderr: str) -> tuple[dict[str, Report], str]:
    """The run's stderr parted at each other format's end: their reports, and what follows the
    last (the run's own format's). A format whose end is missing ended the run before it (the
    run could not start or read its input, or died)."""
    reports, start = {}, 0
    for end in OTHER_END.finditer(stderr):
        reports[end[1]] = Report(stderr[start : end.start()], end[2])
        start = end.end()
    return reports, stderr[start:]


def render_shared(
    project: Project,
    source: Source,
    inputs: dict[str, tuple[Path, Body]],
    html_args: list[str],
    others: list[dict[str, Any]],
    finish: Callable[[str], None],
    alone: Callable[[str], object],
    pass_fds: tuple[int, ...] = (),
) -> dict[str, GalleyError | None]:
    """The HTML (`html_args`) and the formats of `others` (pipeline.lua's specs, in order, each
    with its `output`; the DOCX's last) written by one run, each format's report checked on its
    own and the HTML's and the DOCX's files finished (`finish`): each format's error, or None. A
    format left out of the result (the Typst's .typ, when the run did not write it and no error
    says why) is its caller's to render alone. `inputs`: each format's metadata file and body;
    `alone`: the HTML or the DOCX rendered by a run of its own, for the DOCX the run leaves, and
    for both when the run ends before the DOCX's part; `pass_fds`: the pipes the run writes on."""
    for spec in others:
        meta_file, body = inputs[spec["format"]]
        spec["metadata"] = str(meta_file)
        spec["environment"] = run_environment(project, meta_file, body, spec["format"])
    meta_file, body = inputs["html"]
    second = meta_file.parent / "second-formats.json"
    second.write_text(json.dumps(others), encoding="utf-8")
    body = dataclasses.replace(body, added={**body.added, "GALLEY_SECOND": str(second)})
    result = pandoc_process(project, meta_file, body, "html", html_args, pass_fds=pass_fds)
    reports, last = parted(result.stderr)

    def check_and_finish(fmt: str, report: str, returncode: int) -> None:
        check_report(project, source, fmt, report, returncode)
        if fmt in PAIR:
            finish(fmt)

    errors: dict[str, GalleyError | None] = {}
    for spec in others:
        fmt = spec["format"]
        report = reports.get(fmt)
        if report is not None and report.status != "apart":
            status = 0 if report.status == "ok" else 1
            errors[fmt] = _error(functools.partial(check_and_finish, fmt, report.text, status))
    if "docx" not in reports:
        # Pandoc could not start or read the article, or died: each format on its own, to learn
        # which fails and why.
        return {**errors, **{fmt: _error(functools.partial(alone, fmt)) for fmt in PAIR}}
    if "docx" not in errors:
        errors["docx"] = _error(lambda: alone("docx"))
    errors["html"] = _error(lambda: check_and_finish("html", last, result.returncode))
    return errors


def settle(
    futures: dict[str, Future[Callable[[], None] | None]],
    render: Callable[[], dict[str, GalleyError | None]],
) -> None:
    """Each of `futures` set to its format's outcome of `render`; one `render` leaves out to
    None (its caller renders it alone)."""
    try:
        errors = render()
    except BaseException as exc:  # galley's bug or an interrupt: for format_runs.failures to raise
        for future in futures.values():
            future.set_exception(exc)
        return
    for fmt in futures:
        error = errors.get(fmt)
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
