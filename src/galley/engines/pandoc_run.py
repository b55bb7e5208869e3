"""One pandoc run of the embedded engine (galley.engines.pandoc): what it reads, galley's Lua
filters in their order (all in one Lua state, pipeline.lua), its environment, and what its report
on stderr tells the author."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from galley.errors import ToolError
from galley.project import Project
from galley.reading.sources import Source
from galley.rendering.styles import csl_path, in_text_style
from galley.util import notices
from galley.util.tools import pandoc_path, pandoc_runtime, tail

# The filters and templates, files pandoc is given the paths of (importlib.resources would
# answer the same for a package on disk, after a millisecond of importing).
RESOURCES = Path(__file__).parent / "resources"
# The local files pandoc may read (galley.reading.local_files), for local-files.lua, in the
# scratch folder.
LOCAL_FILES = "local-files.json"


@dataclass(frozen=True)
class Body:
    """What a format's pandoc run reads: the build's one reading of the article, as JSON, or
    the Markdown itself when nothing else needed a reading (one format, such as the preview's
    HTML, reads it itself as the local files are found beside it)."""

    reader: str  # pandoc's `--from`
    text: str
    # What galley adds to the document for this format, for fragments.lua: its environment
    # (GALLEY_BEFORE, GALLEY_AFTER, GALLEY_DATA, GALLEY_SCRIPTS), each a file in the scratch
    # folder or ""; for a run that writes other formats too, GALLEY_SECOND (format_pair.py).
    added: dict[str, str]
    # The reading end of the pipe this format's citations.lua waits on for the first format's
    # citations (galley.engines.citation_pipes); None when it renders or reads them without
    # waiting.
    gate: int | None = None
    # The filters this run leaves out, having nothing to do (galley.engines.idle_filters).
    idle: frozenset[str] = frozenset()
    # The writing end of the pipe on which the first format's citations.lua says they are
    # rendered (galley.engines.citation_pipes); None for every other run.
    ready: int | None = None


def resource(name: str) -> str:
    return str(RESOURCES / name)


def run_environment(
    project: Project, meta_file: Path, body: Body, fmt: str, filters: Sequence[str] = ()
) -> dict[str, str]:
    """galley's part of the environment of `fmt`'s run: what its filters read."""
    scratch = meta_file.parent
    env = {"GALLEY_LOCAL_FILES": str(scratch / LOCAL_FILES), "GALLEY_SECOND": "", **body.added}
    env["GALLEY_CITATIONS_GATE"] = "" if body.gate is None else f"/dev/fd/{body.gate}"
    env["GALLEY_CITATIONS_READY"] = "" if body.ready is None else f"/dev/fd/{body.ready}"
    # citations.lua renders the citations once for all the formats of this render (in its
    # scratch folder); a note style goes through pandoc's citeproc in each format.
    env["GALLEY_CITATIONS"] = str(scratch) if in_text_style(csl_path(project), project.root) else ""
    settings = json.loads(meta_file.read_text(encoding="utf-8"))
    native = settings.get("galley-native-citations")
    citeproc = ["missing-citations.lua"] if native else ["citations.lua"]
    names = [
        "fragments.lua",
        "local-files.lua",
        "conditional.lua",
        # Floats and numbered constructs first: they record their targets for crossref.lua.
        "list-table.lua", "floats.lua", "callout.lua", "theorem.lua", "proof.lua",
        "equations.lua", "crossref.lua", "layout.lua",
        *citeproc,  # pandoc's citeproc, or Typst's with what it cannot cite (see each filter)
        "source-notes.lua", "paragraph-numbers.lua", "margin-notes.lua", "appendix.lua",
        "external-links.lua", "citation-meta.lua",
    ]  # fmt: skip
    # No --number-sections: crossref.lua numbers headings itself, in every format, with
    # Quarto's numbers (which need not start at "0.") and the same ones references show.
    if fmt in ("typst", "pdf"):
        names += [
            "typst-floats.lua",
            "typst-headings.lua",
            "typst-alt.lua",  # with typst-paths.lua's paths, in its walk
            "typst-math.lua",
            "typst-running-head.lua",
            "typst-refs.lua",
        ]
    # Last: the float structure each format gets, once floats are numbered and arranged;
    # then the links to anchors that none of it has.
    names += ["floats-render.lua", "anchors.lua"]
    names = [name for name in names if name not in body.idle]
    # One `--lua-filter` for them all: pandoc starts a Lua state for each (pipeline.lua).
    env["GALLEY_FILTERS"] = "\n".join([*map(resource, names), *filters])
    return env


def pandoc_process(
    project: Project,
    meta_file: Path,
    body: Body,
    fmt: str,
    args: list[str],
    filters: Sequence[str] = (),
    pass_fds: Sequence[int] = (),
) -> subprocess.CompletedProcess[str]:
    """Pandoc's run for `fmt` with galley's filters, then `filters`, as it ended; `pass_fds`:
    the pipes it writes on besides its body's."""
    env = {**os.environ, **run_environment(project, meta_file, body, fmt, filters)}
    env["GHCRTS"] = pandoc_runtime()
    command = [
        pandoc_path(),
        "--sandbox",  # reads only its arguments and what local-files.lua hands it
        "--from", body.reader,
        "--metadata-file", str(meta_file),
        "--lua-filter", resource("pipeline.lua"),
        "--resource-path", str(project.article.parent),
        *args,
    ]  # fmt: skip
    return subprocess.run(
        command,
        input=body.text,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=project.article.parent,
        env=env,
        pass_fds=(*(fd for fd in (body.gate, body.ready) if fd is not None), *pass_fds),
        check=False,
    )


def check_report(project: Project, source: Source, fmt: str, report: str, returncode: int) -> None:
    """The build's warnings from what `fmt`'s run reported; its failure, if it failed."""
    if report:  # a clean run reports nothing: the readers of a report load only for one
        from galley.engines.layout_errors import raise_for_bad_layout
        from galley.engines.unresolved import hidden_crossref_warnings, warn_unresolved

        warn_unresolved(project, source, report)
        raise_for_bad_layout(project, source, report)
        for warning in hidden_crossref_warnings(project, source, report):
            notices.say(warning, rendered=True)
    if returncode != 0:
        raise ToolError(
            f"pandoc failed rendering {project.rel(project.article)} to {fmt} "
            f"(exit {returncode}):\n{tail(report)}"
        )


def run_pandoc(
    project: Project,
    source: Source,
    meta_file: Path,
    body: Body,
    fmt: str,
    args: list[str],
    filters: Sequence[str] = (),
) -> str:
    """Pandoc's run for `fmt` with galley's filters, then `filters`, checked; its standard
    output."""
    result = pandoc_process(project, meta_file, body, fmt, args, filters)
    check_report(project, source, fmt, result.stderr, result.returncode)
    return result.stdout
