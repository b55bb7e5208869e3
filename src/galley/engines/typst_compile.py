"""The PDF from the .typ pandoc wrote: Typst's compile, with its errors made the author's."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

from galley.engines import edition
from galley.engines.float_sizes import place_measured_floats
from galley.engines.link_targets import resolve_link_targets
from galley.engines.typst_fonts import missing_glyph_error
from galley.errors import ToolError
from galley.project import Project
from galley.reading.sources import Source
from galley.reproducible import source_date_epoch
from galley.tools import tail, typst_module


def compile_pdf(
    project: Project,
    source: Source,
    typ: Path,
    meta_file: Path,
    target: Path,
    bibliographies: tuple[Path, ...],
) -> None:
    typst = typst_module()
    place_measured_floats(typ, project.root)
    resolve_link_targets(typ, project.root)
    compile_typ = functools.partial(
        typst.compile,
        str(typ),
        output=str(target),
        root=str(project.root),
        # Reproducible builds: the PDF's date from SOURCE_DATE_EPOCH, as pandoc's DOCX.
        timestamp=source_date_epoch(),
    )
    where = project.rel(project.article)
    standard = edition.pdf_standards(json.loads(meta_file.read_text("utf-8")))
    try:
        try:
            compile_typ(pdf_standards=standard)
        except typst.TypstError as exc:
            # A character no font has would be an empty box in a plain PDF: an error.
            glyph = missing_glyph_error(project, source, str(exc), bibliographies)
            if glyph is not None:
                raise glyph from None
            reason = edition.pdf_ua_refusal(str(exc)) if standard else None
            if reason is None:
                raise
            # PDF/UA-1 is a goal, not a gate: Quarto writes this PDF, so galley does too.
            print(
                f"galley: warning: {where}: the PDF is not PDF/UA-1 (tagged for "
                f"accessibility), since Typst refused it: {reason}",
                file=sys.stderr,
            )
            compile_typ(pdf_standards=None)
    except typst.TypstError as exc:
        raise ToolError(f"Typst failed compiling {where} to PDF: {tail(str(exc))}") from None
