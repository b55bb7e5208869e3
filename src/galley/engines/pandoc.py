"""The embedded engine: Quarto's sources rendered by pandoc (HTML, DOCX) and Typst (PDF).

It implements the Quarto features a manuscript uses, with Quarto's syntax: front matter,
`{{< include >}}` and `{{< var >}}`/`{{< meta >}}` (galley.reading.sources), cross-references
(crossref.lua), citations through pandoc's citeproc with the project's CSL style.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from galley.engines.citation_pipes import citations_gate, citations_ready
from galley.engines.format_pair import (
    PAIR,
    render_shared,
    renders_first,
    settle,
    shared_typst,
    shares_run,
)
from galley.engines.format_runs import cites_in_filter, failures, side_by_side
from galley.engines.html_docx import HTML_WRITER_OPTIONS, finish, page_scripts, writer_args
from galley.engines.idle_filters import idle_filters
from galley.engines.options import Failures, RenderOptions
from galley.engines.pandoc_metadata import DATA_FIELDS, docx_front, format_metadata
from galley.engines.pandoc_run import LOCAL_FILES, RESOURCES, Body, run_pandoc
from galley.engines.typst_run import (
    TypstPart,
    compile_when_written,
    render_typst,
    staged_typ,
    typst_compile,
    typst_writer,
)
from galley.errors import GalleyError
from galley.project import FORMAT_EXTENSIONS, Project
from galley.reading.local_files import local_files
from galley.reading.sources import Source, load_source

__all__ = ["RESOURCES", "PandocEngine"]  # what other modules and the tests take from here


def _body_text(options: RenderOptions, source: Source) -> str:
    """The build's one reading of the article, as JSON, or the Markdown itself."""
    return options.reading.body_json if options.reading is not None else source.body


class PandocEngine:
    name = "pandoc"

    def render(self, project: Project, options: RenderOptions, stage: Path) -> Failures:
        source = options.source or load_source(project)
        (stage / project.article.parent.relative_to(project.root)).mkdir(
            parents=True, exist_ok=True
        )
        # The formats' pandoc runs are independent: run them side by side, as many as fit the
        # memory budget and no more than the cores, except that the citations are rendered
        # once: the first format to render them does (the PDF first: its Typst compile comes
        # after), the others wait for it in citations.lua (galley.engines.citation_pipes).
        # Typst's compile follows its pandoc run when the budget holds it beside the other runs
        # (an article); else (a book) it waits until they have all ended, so that its memory
        # does not add to theirs.
        formats, length = options.formats, len(source.body)
        at_once = side_by_side(length, [*formats, "compile"]) > len(formats)
        citing = sorted(
            (fmt for fmt in formats if cites_in_filter(project, source, fmt)),
            key=lambda fmt: fmt not in ("typst", "pdf"),
        )
        # The first citing format first: a pool smaller than the formats must not fill with
        # formats that wait for it.
        order = sorted(formats, key=lambda fmt: fmt not in citing[:1])
        workers = min(side_by_side(length, formats), os.cpu_count() or 1)
        # On fewer cores than formats the runs would go one after the other: one run writes the
        # PDF's .typ, the DOCX and the HTML, and Typst compiles the .typ on the other core while
        # the run goes on (galley.engines.format_pair, galley.engines.typst_run).
        read_once = options.reading is not None
        paired = at_once and shares_run(formats, workers, length, citing, read_once)
        typst = shared_typst(formats, paired)
        with (
            _scratch(project, source, options) as scratch,
            ThreadPoolExecutor(max_workers=workers) as pool,
            citations_gate() as (gate, open_gate),
            citations_ready() as (ready, said, end_ready),
            citations_ready() as (typ_ready, typ_written, end_typ),
        ):

            def render(fmt: str) -> Callable[[], None] | None:
                """The format's files; the PDF's compile, run now or returned to run later."""
                waits = gate if fmt in citing[1:] else None
                says = ready if citing[1:] and fmt == citing[0] else None
                try:
                    compile_pdf = self._render_format(
                        project, source, options, fmt, stage, scratch, waits, says
                    )
                finally:
                    if says is not None:
                        end_ready()  # its run is over, or never began: the wait ends
                if at_once and compile_pdf is not None:
                    compile_pdf()
                    return None
                return compile_pdf

            futures: dict[str, Future[Callable[[], None] | None]] = {}
            shared: Future[dict[str, GalleyError | None]] = Future()
            typst_part = None
            if typst is not None:
                says = ready if citing[1:] and typst == citing[0] else None
                args = (project, source, options, typst, stage, scratch, typ_ready, says)
                try:
                    typst_part = self._typst_part(*args)
                except GalleyError as exc:  # its settings: the others are still written
                    futures[typst] = Future()
                    futures[typst].set_exception(exc)

            def render_shared() -> dict[str, GalleyError | None]:
                """The HTML's and the DOCX's files (and first the .typ, with `typst_part`) from
                one run; each format's error. No one waits for it, and it waits for no one: it
                renders the citations first, or the formats outside it cite with Typst."""
                try:
                    errors = self._render_pair(project, source, options, stage, scratch, typst_part)
                except BaseException as exc:
                    shared.set_exception(exc)
                    raise
                finally:
                    end_typ()  # the run is over, or never began: the waits for it end
                    end_ready()
                shared.set_result(errors)
                return errors

            for fmt in order:
                if not (paired and fmt in (*PAIR, typst)):
                    futures[fmt] = pool.submit(render, fmt)
                elif not futures.keys() & PAIR:
                    pair = {each: Future[Callable[[], None] | None]() for each in PAIR}
                    futures.update(pair)
                    pool.submit(settle, pair, render_shared)
                    # Submitted after the shared run: with one worker, it waits for that run.
                    if typst_part is not None:
                        alone = (project, source, options, typst_part.fmt, stage, scratch, None)
                        by_itself = functools.partial(self._render_format, *alone)
                        parts = (typst_part, typ_written, shared, by_itself)
                        futures[typst_part.fmt] = pool.submit(compile_when_written, *parts)
            if citing[1:] and not (paired and renders_first(citing)):
                said()
            open_gate()
            failed = failures(formats, futures)
        # Each format stands on its own: the others are still written. What a failed one left in
        # the stage (pandoc writes its file before galley reads its warnings) goes, so that its
        # previous output stays.
        for fmt in failed:
            _staged_output(project, stage, fmt).unlink(missing_ok=True)
        return failed

    def html_pass(self, project: Project, options: RenderOptions, filters: list[str]) -> str:
        """The article's HTML pass as `render` runs it (the same sources, metadata, filters and
        writer options), with `filters` run last and pandoc's output returned instead of a page.
        `galley refs` takes the article's own reference list from it."""
        source = options.source or load_source(project)
        with _scratch(project, source, options) as scratch:
            _, meta_file, body = self._input(project, source, options, "html", scratch)
            args = ["-t", "html5", *HTML_WRITER_OPTIONS]
            return run_pandoc(project, source, meta_file, body, "html", args, filters)

    def _render_format(
        self,
        project: Project,
        source: Source,
        options: RenderOptions,
        fmt: str,
        stage: Path,
        scratch: Path,
        gate: int | None,
        ready: int | None = None,
    ) -> Callable[[], None] | None:
        """The format's files, written; for the PDF, the Typst compile still to run. `gate`: the
        pipe its citations.lua waits on, if it waits for another format's citations; `ready`:
        the pipe it says on that it has rendered them, if others wait for it."""
        target = _staged_output(project, stage, fmt)
        meta, meta_file, body = self._input(project, source, options, fmt, scratch)
        body = dataclasses.replace(body, gate=gate, ready=ready)
        if fmt in ("typst", "pdf"):
            args = (project, source, meta, meta_file, body, target, scratch)
            return render_typst(*args, options.bibliographies)
        run_pandoc(project, source, meta_file, body, fmt, writer_args(fmt, meta, options, target))
        finish(project, source, options, fmt, meta, target, stage)
        return None

    def _render_pair(
        self,
        project: Project,
        source: Source,
        options: RenderOptions,
        stage: Path,
        scratch: Path,
        typst: TypstPart | None,
    ) -> dict[str, GalleyError | None]:
        """The HTML and the DOCX written by one pandoc run (galley.engines.format_pair), and the
        .typ first if `typst`: each format's error, or None (the .typ's left out when the run
        left it to a run of its own)."""
        metas, inputs = {}, {}
        for fmt in PAIR:
            metas[fmt], meta_file, body = self._input(project, source, options, fmt, scratch)
            inputs[fmt] = (meta_file, body)
        targets = {fmt: _staged_output(project, stage, fmt) for fmt in PAIR}
        others = [{"format": "docx", "output": str(targets["docx"])}]
        if typst is not None:
            inputs["typst"] = (typst.meta_file, typst.body)
            others.insert(0, typst.spec())
        return render_shared(
            project,
            source,
            inputs,
            writer_args("html", metas["html"], options, targets["html"]),
            others,
            lambda fmt: finish(project, source, options, fmt, metas[fmt], targets[fmt], stage),
            lambda fmt: self._render_format(project, source, options, fmt, stage, scratch, None),
            typst.pass_fds() if typst is not None else (),
        )

    def _typst_part(
        self,
        project: Project,
        source: Source,
        options: RenderOptions,
        fmt: str,
        stage: Path,
        scratch: Path,
        ready: int,
        says: int | None,
    ) -> TypstPart:
        """The PDF's part of a shared run: its input, its .typ's place, its compile. `ready`:
        the pipe the run says on that the .typ is written; `says`: the pipe its citations.lua
        says on that the citations are rendered, if others wait for it."""
        meta, meta_file, body = self._input(project, source, options, fmt, scratch)
        body = dataclasses.replace(body, ready=says)
        bibliographies = options.bibliographies
        typ = staged_typ(project, scratch, bibliographies)
        target = _staged_output(project, stage, fmt)
        args = (project, source, meta, meta_file, body, typ, target, scratch, bibliographies)
        compile_typ = typst_compile(*args)
        return TypstPart(fmt, meta_file, body, typ, typst_writer(meta), compile_typ, ready)

    def _input(
        self, project: Project, source: Source, options: RenderOptions, fmt: str, scratch: Path
    ) -> tuple[dict[str, Any], Path, Body]:
        """The metadata for `fmt`, its file (written in `scratch`) and the body pandoc reads."""
        meta = format_metadata(project, source, options, fmt)
        meta_file = scratch / f"meta-{fmt}.json"
        # fragments.lua reads what galley adds to the document for this format.
        texts = {"BEFORE": docx_front(meta) if fmt == "docx" else ""}
        texts["AFTER"] = meta.pop("galley-appendix", "")
        added = {}
        for place, text in texts.items():
            path = scratch / f"{place.lower()}-{fmt}.md"
            if text:
                path.write_text(text, encoding="utf-8")
            added[f"GALLEY_{place}"] = str(path) if text else ""
        added["GALLEY_SCRIPTS"] = page_scripts() if fmt == "html" else ""
        text = _body_text(options, source)
        # Typst's math filter runs after citeproc: the bibliographies can bring it math.
        listed = meta.get("bibliography", []) if fmt in ("typst", "pdf") else []
        cited = [Path(path) for path in ([listed] if isinstance(listed, str) else listed)]
        idle = idle_filters([text, json.dumps(meta, default=str), *texts.values()], cited)
        if "conditional.lua" in idle:
            # What conditional.lua alone reads, and removes before any writer sees it.
            meta.pop("galley-meta-flags", None)
        # galley's own data fields go to fragments.lua as JSON, read as text: pandoc would read
        # every string of a metadata file as Markdown (a step named `__init__` would be bold).
        data = {key: meta[key] for key in DATA_FIELDS if key in meta}
        data_file = scratch / f"data-{fmt}.json"
        data_file.write_text(json.dumps(data), encoding="utf-8")
        added["GALLEY_DATA"] = str(data_file)
        passed = {key: value for key, value in meta.items() if key not in data}
        # default=str: an unquoted `date: 2025-05-01` is a date to YAML, and its ISO text here
        meta_file.write_text(json.dumps(passed, default=str), encoding="utf-8")
        reader = "json" if options.reading is not None else "markdown"
        return meta, meta_file, Body(reader, text, added, idle=idle)


def _staged_output(project: Project, stage: Path, fmt: str) -> Path:
    article_rel = project.article.relative_to(project.root)
    return stage / article_rel.parent / (article_rel.stem + FORMAT_EXTENSIONS[fmt])


@contextmanager
def _scratch(project: Project, source: Source, options: RenderOptions) -> Iterator[Path]:
    """A scratch folder for one render, holding the local files pandoc may read."""
    scratch_root = project.cache_dir / "tmp"
    scratch_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch_root, prefix="pandoc-") as scratch:
        files = options.local_files
        if files is None:
            files = local_files(project, source)
        (Path(scratch) / LOCAL_FILES).write_text(json.dumps(files), encoding="utf-8")
        yield Path(scratch)
