"""The PDF's pandoc part (galley.engines.pandoc): where its .typ goes, the Typst writer and its
arguments, and Typst's compile of the .typ, with pandoc's citeproc when Typst cannot read the
CSL style. The .typ is written by a run of its own, or by a run that writes other formats too
(galley.engines.format_pair)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from galley.engines.pandoc_metadata import NATIVE_CITATION_KEYS
from galley.engines.pandoc_run import LOCAL_FILES, Body, resource, run_pandoc
from galley.engines.template_parts import place_template_parts
from galley.engines.typst_compile import compile_pdf
from galley.engines.typst_files import mirror_local_files
from galley.errors import GalleyError
from galley.project import Project
from galley.reading.sources import Source
from galley.rendering.styles import UnreadableStyle
from galley.rendering.typst_citations import staged_typ_folder
from galley.util import notices

TEMPLATE = "article.typ"


def staged_typ(project: Project, scratch: Path, bibliographies: tuple[Path, ...]) -> Path:
    """Where pandoc writes the .typ: in the staging mirror of the project, with the article's
    local files linked at their places (so Typst finds them as beside the article)."""
    typ = staged_typ_folder(project, scratch, bibliographies) / (project.article.stem + ".typ")
    files = json.loads((scratch / LOCAL_FILES).read_text(encoding="utf-8"))
    mirror_local_files(project, scratch, files)
    return typ


def typst_writer(meta: dict[str, Any]) -> str:
    """Typst's own citations need the writer's `citations` extension (`#cite(<key>)`); with
    pandoc's citeproc the writer must show the rendered text, which `--citeproc` would arrange
    itself (pandoc #10662) but citations.lua, a filter, cannot."""
    return "typst" if meta.get("galley-native-citations") else "typst-citations"


def typst_args(meta: dict[str, Any], typ: Path) -> list[str]:
    """The writer's arguments of the PDF's run of its own."""
    writer = typst_writer(meta)
    return ["-t", writer, "--standalone", "--template", resource(TEMPLATE), "-o", str(typ)]


def render_typst(
    project: Project,
    source: Source,
    meta: dict[str, Any],
    meta_file: Path,
    body: Body,
    target: Path,
    scratch: Path,
    bibliographies: tuple[Path, ...],
) -> Callable[[], None]:
    """Pandoc's .typ for the PDF, written now by a run of its own; Typst's compile of it,
    returned to be run once no pandoc runs beside it."""
    typ = staged_typ(project, scratch, bibliographies)
    run_pandoc(project, source, meta_file, body, "typst", typst_args(meta, typ))
    return typst_compile(
        project, source, meta, meta_file, body, typ, target, scratch, bibliographies
    )


def typst_compile(
    project: Project,
    source: Source,
    meta: dict[str, Any],
    meta_file: Path,
    body: Body,
    typ: Path,
    target: Path,
    scratch: Path,
    bibliographies: tuple[Path, ...],
) -> Callable[[], None]:
    """Typst's compile of the .typ pandoc wrote, once the template's static parts are written
    into it (galley.engines.template_parts); with Typst's own citations, pandoc's citeproc
    instead (a run of its own) when Typst cannot read the CSL style."""

    def compile_typ() -> None:
        place_template_parts(typ)
        compile_pdf(project, source, typ, meta_file, target, bibliographies)

    if not meta.get("galley-native-citations"):
        return compile_typ

    def compile_or_use_citeproc() -> None:
        try:
            compile_typ()
        except UnreadableStyle as exc:
            # A CSL style Typst cannot read: the PDF's citations by pandoc's citeproc with it,
            # as with `citeproc: true`, rather than no PDF.
            notices.say(f"{notices.PREFIX}{exc}", rendered=True)
            with_citeproc = {k: v for k, v in meta.items() if k not in NATIVE_CITATION_KEYS}
            fallback = scratch / "meta-typst-citeproc.json"
            fallback.write_text(json.dumps(with_citeproc, default=str), encoding="utf-8")
            # Its citations' run is over: no one waits on this one.
            again = dataclasses.replace(body, ready=None)
            args = (project, source, with_citeproc, fallback, again, target, scratch)
            render_typst(*args, bibliographies)()

    return compile_or_use_citeproc


@dataclass(frozen=True)
class TypstPart:
    """The PDF's part of a run that writes other formats too (galley.engines.format_pair)."""

    fmt: str  # galley's: `typst` or `pdf`
    meta_file: Path
    body: Body  # its `ready`: the pipe its citations.lua says on, if others wait for it
    typ: Path
    writer: str
    compile: Callable[[], None]
    ready: int  # the pipe the run says on that the .typ is written

    def spec(self) -> dict[str, Any]:
        """pipeline.lua's spec of the format (its metadata and environment added by
        format_pair)."""
        return {
            "format": "typst",
            "writer": self.writer,
            "template": resource(TEMPLATE),
            "output": str(self.typ),
            "ready": f"/dev/fd/{self.ready}",
        }

    def pass_fds(self) -> tuple[int, ...]:
        """The pipes the run writes on for this part."""
        return tuple(fd for fd in (self.ready, self.body.ready) if fd is not None)


def compile_when_written(
    part: TypstPart,
    written: Callable[[], bool],
    shared: Future[dict[str, GalleyError | None]],
    alone: Callable[[], Callable[[], None] | None],
) -> None:
    """The PDF from a shared run's .typ: compiled as soon as the run says it is written
    (`written`, which waits for that or for the run's end), while the run goes on; its report
    checked once the run is over (`shared`: each format's error, the .typ's left out when the
    run left it), whose error comes before the compile's. A .typ the run did not write is
    written by a run of its own (`alone`)."""
    compile_error = None
    if written():
        try:
            part.compile()
        except GalleyError as exc:
            compile_error = exc
    errors = shared.result()
    if "typst" not in errors:
        compile_alone = alone()
        if compile_alone is not None:
            compile_alone()
        return
    if errors["typst"] is not None:
        raise errors["typst"]
    if compile_error is not None:
        raise compile_error
