"""The finished DOCX of an edition (galley.engines.edition): its reference list's hanging
indent, the PDF's page (galley.engines.docx_page), the review profile's line numbers and, when
anonymous, no author in its properties. Kept apart from galley.engines.edition, which every
build imports (one with nothing to do too): only a render of the DOCX needs these edits and the
zip modules they use."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from galley.engines import docx_page
from galley.engines.docx_page import DocxPage
from galley.engines.docx_zip import rewrite_zip
from galley.engines.options import RenderOptions

# Where a DOCX keeps who wrote and last saved it; `custom.xml` holds pandoc's copy of all
# metadata, including local paths that can name a user.
CORE_PEOPLE = re.compile(r"<(dc:creator|cp:lastModifiedBy)\b[^>]*?(?:/>|>.*?</\1>)", re.S)
EMPTY_CUSTOM = (
    '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/'
    'officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/'
    'officeDocument/2006/docPropsVTypes"></Properties>'
)
# Children of <w:sectPr> that the schema puts after <w:lnNumType>; it must precede them.
AFTER_LINE_NUMBERS = (
    "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi",
    "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
)  # fmt: skip
# APA 7's reference list: each entry's later lines indented 0.5 in (720 twentieths of a point).
HANGING_INDENT = '<w:ind w:left="720" w:hanging="720"/>'
# Continuous numbering of every line, 0.25 in from the text, as manuscripts under review use.
LINE_NUMBERS = '<w:lnNumType w:countBy="1" w:distance="360" w:restart="continuous"/>'


def finish_docx(path: Path, options: RenderOptions, page: DocxPage | None = None) -> None:
    """A hanging indent for the reference list (APA 7, every edition); the PDF's page, running
    head and page numbers (`page`); line numbers for the review profile; no author left in the
    properties when anonymous."""
    edits = {}
    with zipfile.ZipFile(path) as docx:
        edits["word/styles.xml"] = with_hanging_bibliography(docx.read("word/styles.xml").decode())
        document = docx.read("word/document.xml").decode()
        if page is not None:
            document = docx_page.with_page(document, page)
            types, rels = "[Content_Types].xml", "word/_rels/document.xml.rels"
            edits[types] = docx_page.with_part_types(docx.read(types).decode())
            edits[rels] = docx_page.with_relationships(docx.read(rels).decode())
            edits.update(docx_page.page_parts(page))
        if options.profile == "review":
            document = with_line_numbers(document)
        edits["word/document.xml"] = document
        if options.anonymous:
            edits["docProps/core.xml"] = CORE_PEOPLE.sub(
                "", docx.read("docProps/core.xml").decode()
            )
            if "docProps/custom.xml" in docx.namelist():
                edits["docProps/custom.xml"] = EMPTY_CUSTOM
    rewrite_zip(path, {name: text.encode("utf-8") for name, text in edits.items()})


def with_hanging_bibliography(styles_xml: str) -> str:
    """`styles.xml` with the reference list's paragraph style (pandoc's `Bibliography`) indented
    0.5 in after each entry's first line, as APA 7 lays out references (and Word's own style
    does not)."""
    style = re.compile(r'<w:style\b[^>]*w:styleId="Bibliography"[^>]*>.*?</w:style>', re.S)

    def indent(match: re.Match[str]) -> str:
        block = re.sub(r"<w:ind\b[^>]*/>", "", match[0])
        block = re.sub(r"<w:pPr\s*/>", "<w:pPr></w:pPr>", block)
        if "<w:pPr>" not in block:
            at = block.find("<w:rPr")
            at = at if at >= 0 else block.rindex("</w:style>")
            block = block[:at] + "<w:pPr></w:pPr>" + block[at:]
        return block.replace("</w:pPr>", HANGING_INDENT + "</w:pPr>", 1)

    return style.sub(indent, styles_xml)


def with_line_numbers(document_xml: str) -> str:
    """`document.xml` with line numbering switched on in every section."""

    def add(match: re.Match[str]) -> str:
        section = match[0]
        if "<w:lnNumType" in section:
            return section
        later = [section.find(f"<w:{tag}") for tag in AFTER_LINE_NUMBERS]
        at = min((i for i in later if i >= 0), default=section.rindex("</w:sectPr>"))
        return section[:at] + LINE_NUMBERS + section[at:]

    sections = re.compile(r"<w:sectPr\b[^>]*?>.*?</w:sectPr>", re.S)
    if not sections.search(document_xml):
        document_xml = document_xml.replace(
            "</w:body>", f"<w:sectPr>{LINE_NUMBERS}</w:sectPr></w:body>"
        )
    return sections.sub(add, document_xml)
