"""The PDF from the .typ pandoc wrote: Typst's compile, with its errors made the author's."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from galley.engines import edition
from galley.engines.float_sizes import place_measured_floats
from galley.engines.link_targets import give_bare_links_text, resolve_link_targets
from galley.project import Project
from galley.reading.sources import Source
from galley.util import notices
from galley.util.reproducible import source_date_epoch
from galley.util.tools import typst_fonts, typst_module


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
    give_bare_links_text(typ)
    compile_typ = functools.partial(
        typst.compile,
        str(typ),
        output=str(target),
        root=str(project.root),
        font_paths=typst_fonts(),
        # Reproducible builds: the PDF's date from SOURCE_DATE_EPOCH, as pandoc's DOCX.
        timestamp=source_date_epoch(),
    )
    standard = edition.pdf_standards(json.loads(meta_file.read_text("utf-8")))
    refusal = None
    while True:
        try:
            compile_typ(pdf_standards=standard)
            break
        except typst.TypstError as exc:
            reported = str(exc), getattr(exc, "diagnostic", str(exc))
        # The readers of a failure load only when Typst failed.
        from galley.engines.typst_failures import (
            Failure,
            pdf_ua_refusal,
            traced_failure,
            unreadable_style,
        )
        from galley.engines.typst_fonts import missing_glyph_error

        failure = Failure(*reported)

        # A character no font has would be an empty box in a plain PDF: an error.
        glyph = missing_glyph_error(project, source, failure.message, bibliographies)
        if glyph is not None:
            raise glyph
        # The PDF is written wherever pandoc and Typst can make one. A link to no anchor and an
        # unknown citation key never reach Typst (anchors.lua, missing-citations.lua); each way
        # round a failure here changes the standard, so the loop ends.
        style = unreadable_style(project, failure)
        if style is not None:
            raise style  # pandoc.py formats the citations with citeproc instead
        if standard is not None:
            # PDF/UA-1 is a goal, not a gate: Quarto writes this PDF, so galley does too.
            refusal, standard = pdf_ua_refusal(project, source, typ, failure), None
            continue
        raise traced_failure(project, source, typ, failure)
    if refusal is not None:
        notices.say(refusal, rendered=True)
