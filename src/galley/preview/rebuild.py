"""The preview's rebuild: the HTML only, as `galley build --to html` makes it, and no more work
than the saved files call for.

A save that changes one plain paragraph of the article shows that paragraph, rendered alone, in
the page at once (galley.preview.quick_edit); the whole HTML is rendered when the author pauses,
and the page reloads again only if that differs. A save that touches only what the render reads (the article, its includes, the bibliography,
an image) skips the build's checks of settings, tools and steps, which such a save cannot have
changed, and renders the HTML at once with the local files the last render read, while pandoc
reads the article's references alongside: when those differ (a new image or link), the HTML is
rendered again with them, so the page is always the one the build would write. Anything else (a
step's script or input, data, `_quarto.yml`, `pyproject.toml`…) takes the build's own path.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from galley.engines import choose_engine, edition
from galley.engines.options import RenderOptions, raise_failure
from galley.pipeline.build import BuildOptions, build
from galley.preview.quick_edit import ShownPage, page_path
from galley.project import Project, load_project
from galley.reading.sources import Source, load_source
from galley.steps.notes import element_notes

NORMAL = {"self_contained": False, "anonymous": False, "profile": None}


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Rebuilt:
    """What a rebuild changed: whether the open page should reload, and the page to serve when it
    was edited in place, until the whole HTML is rendered (`HtmlRebuild.settle`)."""

    changed: bool
    page: bytes | None = None


class HtmlRebuild:
    """Rebuilds the HTML of the project at `root`; keeps what one save cannot change."""

    def __init__(self, root: str, engine: str):
        self.root = root
        self.engine = engine
        # The last rebuild succeeded: after a failure (bad data, a broken setting) the next one
        # takes the build's whole path, so the failure is reported until it is fixed.
        self.healthy = False
        self.render_reads: frozenset[Path] = frozenset()
        self.local_files: dict[str, str] | None = None
        self.warnings: list[str] = []
        # The page as the last whole render wrote it, for the fast path of a paragraph edit.
        self.shown: ShownPage | None = None
        # The page served was edited in place: the whole render is still owed.
        self.pending: bytes | None = None

    def __call__(self, changed: Iterable[Path] | None = None) -> Rebuilt:
        """Bring the HTML up to date after `changed` (None: anything may have changed).
        Raises GalleyError for a bad edit; the last good HTML stays."""
        from galley.util.lock import project_lock

        started = time.perf_counter()
        changed = None if changed is None else list(changed)
        shown = self._shown_in_place(changed)
        if shown is not None:
            self.pending = shown
            _log(f"galley: paragraph shown in {time.perf_counter() - started:.2f} s")
            return Rebuilt(True, shown)
        was_healthy, self.healthy = self.healthy, False
        project = load_project(self.root)
        quick = (
            changed is not None
            and was_healthy
            and choose_engine(self.engine)[0].name == "pandoc"
            and all(self._only_rendered(path, project) for path in changed)
        )
        # Whatever happens next, this render settles the paragraphs shown in place: should it
        # fail, the error is shown, not tried again each quiet second.
        served, self.pending = self.pending, None
        with project_lock(project.cache_dir, "preview"):
            before = _written(project)
            if quick:
                self._render(project, started)
            else:
                self._build(project, started)
        self.healthy = True
        # A save that changed nothing the page shows (the same bytes saved again) reloads nothing.
        return Rebuilt(_differs(project, served) or _written(project) != before)

    def _shown_in_place(self, changed: list[Path] | None) -> bytes | None:
        """The page with the one paragraph the save changed rendered in place, when only the
        article or its includes changed; None when it needs a whole render. The settings are the
        last render's: a save to these files cannot change them."""
        from galley.preview.watch import step_reads

        shown = self.shown
        if changed is None or shown is None or not self.healthy:
            return None
        if choose_engine(self.engine)[0].name != "pandoc":
            return None
        sources = {path.resolve() for path in shown.source.files} - step_reads(shown.project)
        if not all(path.resolve() in sources for path in changed):
            return None
        return shown.after_edit(load_source(shown.project))

    def settle(self) -> Rebuilt:
        """After paragraphs were shown edited in place: render the whole HTML, as the build does;
        the page reloads only if that differs from the one served."""
        from galley.util.lock import project_lock

        started = time.perf_counter()
        project = load_project(self.root)
        rendered = self.shown.rendered if self.shown is not None else {}
        served, self.pending = self.pending, None
        self.healthy = False  # until the render succeeds: the next save then takes the whole path
        with project_lock(project.cache_dir, "preview"):
            self._render(project, started)
        self.healthy = True
        changed = _differs(project, served)
        if not changed and self.shown is not None:
            # The page the paragraphs made is the build's: their renderings hold for the next edit.
            self.shown.rendered.update(rendered)
        return Rebuilt(changed)

    def _only_rendered(self, path: Path, project: Project) -> bool:
        """The render reads `path` and no step does (a step reads the bibliography here)."""
        from galley.preview.watch import step_reads

        resolved = path.resolve()
        return resolved in self.render_reads and resolved not in step_reads(project)

    def _build(self, project: Project, started: float) -> None:
        """`galley build --to html`: settings, tools, data steps, then the render if stale."""
        build(project, BuildOptions(to=["html"], engine=self.engine), started)
        source = load_source(project)
        self._remember(project, source)
        self._show(project, source)
        self.local_files = None  # read them again at the next quick render

    def _show(self, project: Project, source: Source) -> None:
        page = page_path(project)
        self.shown = ShownPage(project, source, page.read_bytes()) if page.is_file() else None

    def _remember(self, project: Project, source: Source) -> None:
        from galley.rendering.render_cache import image_paths

        self.render_reads = frozenset(
            path.resolve()
            for path in (*source.files, *project.bibliographies, *image_paths(project, source))
        ) | ({project.csl.resolve()} if project.csl else frozenset())

    def _render(self, project: Project, started: float) -> None:
        from galley.check.build_warnings import as_warning, source_warnings
        from galley.check.config import check_config
        from galley.engines.pandoc import PandocEngine
        from galley.engines.quarto_metadata import write_quarto_metadata
        from galley.reading.local_files import local_files
        from galley.rendering import preflight
        from galley.rendering.render_cache import RenderCache, render_parts
        from galley.util.atomic import commit, staging

        source = load_source(project)
        self._remember(project, source)
        warnings = [
            as_warning(f) for f in source_warnings(project, source, check_config(project).disable)
        ]
        for warning in warnings:
            if warning not in self.warnings:
                _log(warning)
        self.warnings = warnings
        parts = render_parts(project, source, "html", "pandoc", edition.cache_extra("html", NORMAL))
        cache = RenderCache(project)
        output = edition.edition_output(project, "", "html")
        if not cache.why_stale("html", parts, output):
            self._show(project, source)
            return
        preflight.check_bibliographies(project)
        tmp = project.cache_dir / "tmp"
        with (
            staging(tmp) as stage,
            staging(tmp, prefix="bib-") as bib_dir,
            ThreadPoolExecutor(max_workers=1) as pool,
        ):
            reading = pool.submit(local_files, project, source)
            options = RenderOptions(
                formats=["html"],
                source=source,
                source_notes=element_notes(project, source),
                bibliographies=preflight.small_bibliographies(project, source, bib_dir),
                local_files=self.local_files if self.local_files is not None else reading.result(),
            )
            raise_failure(PandocEngine().render(project, options, stage))
            files = reading.result()  # also warns about a path outside the project (or raises)
            if files != options.local_files:
                for leftover in [p for p in stage.rglob("*") if p.is_file()]:
                    leftover.unlink()
                options = dataclasses.replace(options, local_files=files)
                raise_failure(PandocEngine().render(project, options, stage))
            self.local_files = files
            commit(stage, edition.edition_dir(project, ""))
        # As the build: a plain `quarto render` reads the source notes of these labels there.
        write_quarto_metadata(project, options)
        cache.record({"html": parts})
        self._show(project, source)
        _log(f"galley: html rendered in {time.perf_counter() - started:.2f} s")


def _written(project: Project) -> dict[Path, tuple[int, int]]:
    """Each file in the output folder, with its modification time and size."""
    if not project.output_dir.is_dir():
        return {}
    written = {}
    for path in project.output_dir.rglob("*"):
        if path.is_file():
            stat = path.stat()
            written[path] = (stat.st_mtime_ns, stat.st_size)
    return written


def _differs(project: Project, served: bytes | None) -> bool:
    """Whether the page the render wrote differs from the one served edited in place, if any."""
    return served is not None and page_path(project).read_bytes() != served
