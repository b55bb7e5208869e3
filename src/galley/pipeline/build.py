"""The build: settings and tools checked, the stale data steps run, then the stale formats
rendered, each written atomically. `galley build` (galley.commands.build) and the preview's full
rebuild (galley.preview.rebuild) run it."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from galley.project import Project
from galley.util.reproducible import source_date_epoch

if TYPE_CHECKING:
    from galley.engines.options import Failures


def _log(message: str) -> None:
    print(message, file=sys.stderr)


@dataclass(frozen=True)
class BuildOptions:
    """What `galley build` is asked for; the defaults are its command line's."""

    to: list[str] | None = None  # the formats; None: every one under `format:`
    engine: str = "auto"
    force: bool = False
    jobs: int | None = None
    self_contained: bool = False
    anonymous: bool = False
    profile: str | None = None
    strict: bool = False


def build(project: Project, args: BuildOptions, started: float) -> int:
    from galley.check.build_warnings import as_warning, source_warnings
    from galley.check.config import check_config, link_config
    from galley.engines import choose_engine, edition
    from galley.engines.quarto_extension import extension_problem
    from galley.reading.code_cells import unrun_cells_warning
    from galley.reading.sources import load_source
    from galley.rendering import preflight
    from galley.rendering.render_cache import RenderCache, render_parts, shared_parts
    from galley.rendering.styles import ensure_csl
    from galley.util import notices

    # Everything that can be checked before work starts is: a missing tool, a bad setting or an
    # unusable output folder should not surface after the data steps ran.
    settings = check_config(project)
    notices.disable(settings.disable)
    link_config(project)
    # Either engine: a stale extension is what a later `quarto render` would run.
    stale_extension = extension_problem(project.root, project.config)
    if stale_extension:
        notices.say(f"{notices.PREFIX}{stale_extension}")
    for skipped in project.skipped_formats:
        notices.warn(
            project.rel(project.article),
            f"format `{skipped}` is not one galley renders (html, docx, typst or pdf, or a journal "
            "extension's); it is left out (Quarto renders it)",
        )
    formats = list(dict.fromkeys(args.to or project.formats))
    for fmt in formats:
        if fmt not in project.formats:
            raise _unlisted_format(project, fmt)
    engine, reason = choose_engine(args.engine)
    flags: dict[str, Any] = {
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
        notices.say(as_warning(finding))
    if source.unrun_cell is not None and engine.name != "quarto":
        origin = source.unrun_cell
        notices.say(unrun_cells_warning(project.rel(origin.path), origin.line))
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
    warnings_cache = project.cache_dir / "cache" / notices.CACHE
    fresh = [edition.cache_name(name, fmt) for fmt in formats if fmt not in stale]
    notices.repeat(warnings_cache, fresh)  # those outputs still show the markers
    if not stale and not (report is not None and report.ran):
        _fail_if_strict(args)
        _log(f"galley: up to date ({', '.join(formats)}, {label}); nothing to do")
        return 0
    _log(f"galley: rendering {', '.join(stale) or 'nothing'} ({label}) with the {reason}")
    # What only a render needs is imported only then: a build with nothing to do stays fast.
    from concurrent.futures import ThreadPoolExecutor

    from galley.engines.options import RenderOptions
    from galley.engines.quarto_metadata import write_quarto_metadata
    from galley.reading.local_files import local_files
    from galley.reading.pandoc_reading import read_article
    from galley.util.atomic import commit, staging

    with (
        staging(project.cache_dir / "tmp") as stage,
        staging(project.cache_dir / "tmp", prefix="bib-") as bib_dir,
    ):
        with ThreadPoolExecutor(max_workers=2) as pool:
            # One reading of the article: its local files (every engine: nothing outside the
            # project is read), and where the embedded engine's renders start. pandoc reads
            # while the manifest and notebooks are written (they do not depend on the render),
            # and the bibliographies and source notes are made ready: the formats' runs, once
            # they start, keep every core busy.
            reading_done = pool.submit(read_article, project, source)
            authors = _author_names(project, source) if args.anonymous else None
            provenance = pool.submit(_write_provenance, project, report, stage, authors)
            preflight.check_bibliographies(project)
            bibliographies = preflight.small_bibliographies(project, source, bib_dir)
            notes = _element_notes(project, source)
            reading = reading_done.result()
            options = RenderOptions(
                formats=stale,
                source=source,
                source_notes=notes,
                bibliographies=bibliographies,
                local_files=local_files(project, source, reading, quarto=engine.name == "quarto"),
                reading=reading,
                **flags,
            )
            failures = engine.render(project, options, stage)
            for warning in provenance.result():
                notices.say(warning)
        if set(failures) == set(stale) and len({str(e) for e in failures.values()}) == 1:
            # One slip every format tripped on: the build's error, as before; nothing is written.
            raise next(iter(failures.values()))
        _fail_if_strict(args)
        # Each format stands on its own: those that rendered are written (each file by atomic
        # rename), one that failed keeps its previous output.
        written = commit(stage, edition.edition_dir(project, name))
    # For a plain `quarto render` later: the galley extension reads the source notes from here.
    write_quarto_metadata(project, options)
    rendered = [fmt for fmt in stale if fmt not in failures]
    cache.record({edition.cache_name(name, fmt): parts[fmt] for fmt in rendered})
    notices.remember(warnings_cache, [edition.cache_name(name, fmt) for fmt in rendered])
    for line in _failure_lines(stale, failures):
        _log(line)
    outputs = {edition.edition_output(project, name, fmt) for fmt in rendered}
    for path in written:
        if path in outputs:
            _log(f"  wrote {project.rel(path)} ({label})")
    took = f"done in {time.perf_counter() - started:.2f} s"
    if not failures:
        _log(f"galley: {took}")
        return 0
    kept = [
        f"{fmt}: {project.rel(output)} kept from an earlier build"
        if output.is_file()
        else f"{fmt}: no output written"
        for fmt in stale
        if fmt in failures
        for output in [edition.edition_output(project, name, fmt)]
    ]
    _log(f"galley: {len(failures)} of {len(stale)} formats failed ({'; '.join(kept)}); {took}")
    return max(error.exit_code for error in failures.values())


def _failure_lines(formats: list[str], failures: Failures) -> list[str]:
    """One error line per distinct failure, prefixed by the formats it stopped: a slip every
    format trips on is said once."""
    by_message: dict[str, list[str]] = {}
    for fmt in formats:
        if fmt in failures:
            by_message.setdefault(str(failures[fmt]), []).append(fmt)
    return [f"galley: error: {', '.join(fmts)}: {message}" for message, fmts in by_message.items()]


def _fail_if_strict(args: BuildOptions) -> None:
    """`--strict`: a build that warned stops here, before its outputs replace the old ones."""
    from galley.util import notices

    failure = notices.strict_failure() if args.strict else None
    if failure is not None:
        raise failure


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


def _write_provenance(
    project: Project, report: Any, stage: Path, authors: list[str] | None
) -> list[str]:
    """The manifest, notebooks and step files; `authors` (names and e-mails) for the anonymous
    edition, which is written without them. Returns its warnings."""
    if report is None:
        return []
    from galley.steps.provenance import write_provenance
    from galley.util.tools import TOOLS_CACHE, tool_versions

    # pandoc's version as the render's cache key has it (no second `pandoc --version`).
    tools = tool_versions(project.cache_dir / "cache" / TOOLS_CACHE)
    return write_provenance(
        project, report, stage, tools, anonymous=authors is not None, authors=authors
    )


def _author_names(project: Project, source: Any) -> list[str]:
    """Every author's name and e-mail, as the front matter gives them."""
    from galley.engines.pandoc_metadata import merged_settings
    from galley.reading.metadata import normalize_authors

    settings = merged_settings(project, source, "html")
    authors = normalize_authors(settings, project.rel(project.article))["galley-authors"]
    return [str(a[key]) for a in authors for key in ("name", "email") if a[key]]


def _element_notes(project: Project, source: Any) -> dict[str, dict[str, object]]:
    """The source note of each figure and table that shows a step's output (none without steps:
    the steps' modules are then not imported)."""
    if not project.galley.get("steps"):
        return {}
    from galley.steps.notes import element_notes

    return element_notes(project, source)


def _run_steps(project: Project, *, force: bool, jobs: int | None) -> Any:
    if not project.galley.get("steps"):
        return None
    from galley.steps import run_steps

    return run_steps(project, force=force, log=_log, jobs=jobs)
