"""`galley build`: run the stale data steps, then render the stale formats, atomically."""

from __future__ import annotations

import argparse
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from galley.project import FORMAT_EXTENSIONS, Project, load_project
from galley.reproducible import source_date_epoch


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--to",
        action="append",
        choices=sorted(FORMAT_EXTENSIONS),
        metavar="FORMAT",
        help="render only this format (html, docx, typst); repeatable. Default: all in _quarto.yml",
    )
    parser.add_argument(
        "--engine",
        default="auto",
        choices=("auto", "quarto", "pandoc"),
        help="auto: Quarto when `quarto` is on PATH, else the embedded pandoc + Typst engine",
    )
    parser.add_argument("--force", action="store_true", help="redo every step and format")
    parser.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        metavar="N",
        help="run at most N data steps at once (default: one per core)",
    )
    parser.add_argument(
        "--self-contained",
        action="store_true",
        help="write the HTML as one file with its images, style and script inside",
    )
    parser.add_argument(
        "--anonymous",
        action="store_true",
        help="blind review: no author, affiliation or e-mail in any output or its properties",
    )
    parser.add_argument(
        "--profile",
        choices=("review",),
        help="review: paragraph numbers (#p-12 in HTML) in every format, line numbers in PDF/DOCX",
    )


def _jobs(text: str) -> int:
    """`-j N`: a whole number of steps at once, at least one."""
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of steps, 1 or more, not {text!r}"
        )
    return jobs


def _log(message: str) -> None:
    print(message, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from galley.lock import project_lock

    started = time.perf_counter()
    project = load_project(args.project)
    with project_lock(project.cache_dir):
        from galley.atomic import remove_leftovers

        remove_leftovers(project.cache_dir / "tmp", project.cache_dir / "cache")
        return _build(project, args, started)


def _build(project: Project, args: argparse.Namespace, started: float) -> int:
    from galley import preflight
    from galley.accessibility import as_warning, source_warnings
    from galley.atomic import commit, staging
    from galley.check.config import check_config, link_config
    from galley.engines import RenderOptions, choose_engine, edition
    from galley.engines.quarto import write_quarto_metadata
    from galley.reading.local_files import local_files
    from galley.reading.sources import load_source
    from galley.render_cache import RenderCache, render_parts, shared_parts
    from galley.styles import ensure_csl

    # Everything that can be checked before work starts is: a missing tool, a bad setting or an
    # unusable output folder should not surface after the data steps ran.
    settings = check_config(project)
    link_config(project)
    formats = list(dict.fromkeys(args.to or project.formats))
    for fmt in formats:
        if fmt not in project.formats:
            raise _unlisted_format(project, fmt)
    engine, reason = choose_engine(args.engine)
    flags = {
        "self_contained": args.self_contained,
        "anonymous": args.anonymous,
        "profile": args.profile,
    }
    edition.check(project, engine.name, flags)
    preflight.check_tools(engine.name, formats)
    preflight.check_output_dir(project)
    source_date_epoch()  # a value that is no time stops the build before anything is written
    ensure_csl(project)
    report = _run_steps(project, force=args.force, jobs=args.jobs)
    source = load_source(project)
    for finding in source_warnings(project, source, settings.disable):
        _log(as_warning(finding))
    name = edition.edition_name(flags)
    label = f"the {name} edition" if name else "the normal edition"
    shared = shared_parts(project, source)
    parts = {
        fmt: render_parts(
            project, source, fmt, engine.name, edition.cache_extra(fmt, flags), shared
        )
        for fmt in formats
    }
    cache = RenderCache(project)
    stale = [
        fmt
        for fmt in formats
        if args.force
        or cache.why_stale(
            edition.cache_name(name, fmt), parts[fmt], edition.edition_output(project, name, fmt)
        )
    ]
    if not stale and not (report is not None and report.ran):
        _log(f"galley: up to date ({', '.join(formats)}, {label}); nothing to do")
        return 0
    _log(f"galley: rendering {', '.join(stale) or 'nothing'} ({label}) with the {reason}")
    preflight.check_bibliographies(project)
    files = local_files(project, source)  # every engine: nothing outside the project is read
    with (
        staging(project.cache_dir / "tmp") as stage,
        staging(project.cache_dir / "tmp", prefix="bib-") as bib_dir,
    ):
        options = RenderOptions(
            formats=stale,
            source=source,
            source_notes=_source_notes(project, source),
            bibliographies=preflight.small_bibliographies(project, source, bib_dir),
            local_files=files,
            **flags,
        )
        with ThreadPoolExecutor(max_workers=1) as pool:
            # The manifest and notebooks do not depend on the render: write them meanwhile.
            provenance = pool.submit(_write_provenance, project, report, stage)
            engine.render(project, options, stage)
            provenance.result()
        written = commit(stage, edition.edition_dir(project, name))
    # For a plain `quarto render` later: the galley extension reads the source notes from here.
    write_quarto_metadata(project, options)
    cache.record({edition.cache_name(name, fmt): parts[fmt] for fmt in stale})
    for path in written:
        if path.suffix in (".html", ".pdf", ".docx"):
            _log(f"  wrote {project.rel(path)} ({label})")
    _log(f"galley: done in {time.perf_counter() - started:.2f} s")
    return 0


def _unlisted_format(project: Project, fmt: str) -> Exception:
    """A `--to` the project does not render is a usage error; `pdf` is reached through `typst`,
    Quarto's name for the Typst PDF, so say that when it is the one listed."""
    from galley.errors import ConfigError

    hint = (
        "; the PDF is made by `--to typst`"
        if fmt == "pdf" and "typst" in project.formats
        else f"; use one of {', '.join(project.formats)}"
    )
    return ConfigError(f"format `{fmt}` is not listed under `format:` in _quarto.yml{hint}")


def _write_provenance(project: Project, report: Any, stage: Path) -> None:
    if report is None:
        return
    from galley.steps import write_provenance
    from galley.tools import tool_versions

    write_provenance(project, report, stage, tool_versions())


def _run_steps(project: Project, *, force: bool, jobs: int | None) -> Any:
    if not project.galley.get("steps"):
        return None
    from galley.steps import run_steps

    return run_steps(project, force=force, log=_log, jobs=jobs)


CAPTION_ID = re.compile(r"\{#(tbl-[\w-]+)[^}]*\}\s*$")
# `](src "title"){#fig-x`. After the path comes a space or `)`, never more path: so a path that is
# a 300 KB `data:` URI is read once, where `[^)\s]+[^)]*` retried every split of it (minutes).
FIGURE_ID = re.compile(r"\]\(([^)\s]+)(?:\s[^)]*)?\)\{#(fig-[\w-]+)")


def _source_notes(project: Project, source: Any) -> dict[str, dict[str, object]]:
    """Source notes keyed by element id: a figure whose image, or a table whose included file,
    is a declared step output gets that step's note."""
    if not project.galley.get("steps"):
        return {}
    import os

    from galley.steps import source_notes

    notes = source_notes(project)
    article_dir = project.article.parent
    notebooks_from_article = Path(
        os.path.relpath(project.output_dir, project.output_path("html").parent)
    )

    def as_meta(note: Any) -> dict[str, object]:
        return {
            "script": note.script,
            "inputs": [{"path": p, "sha": h} for p, h in note.inputs],
            "notebook": (notebooks_from_article / note.notebook).as_posix(),
        }

    by_id: dict[str, dict[str, object]] = {}
    lines = source.body.split("\n")
    for index, line in enumerate(lines):
        for src, label in FIGURE_ID.findall(line):
            rel = project.rel(article_dir / src)
            if rel in notes:
                by_id[label] = as_meta(notes[rel])
        caption = CAPTION_ID.search(line)
        if caption:
            before = index - 1
            while before >= 0 and not lines[before].strip():
                before -= 1
            if before >= 0:
                rel = project.rel(source.origin(before).path)
                if rel in notes:
                    by_id[caption[1]] = as_meta(notes[rel])
    return by_id
