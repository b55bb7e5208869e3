"""The DOCX's page as the PDF's: the same paper and margins, a running head (the title, and the
authors' surnames unless the edition is anonymous) from the second page on, and the page number
centred at the foot of every page.

pandoc's DOCX writer leaves the page to the reference document (US Letter, no header, no page
numbers), so galley adds a header and a footer part to the finished file and points the
document's last section at them, with its size and margins (ECMA-376 Part 1, 17.6: `w:sectPr`'s
children in the schema's order: header and footer references first, then `w:footnotePr`,
`w:endnotePr`, `w:type`, `w:pgSz`, `w:pgMar`, ... `w:titlePg`)."""

from __future__ import annotations

import re
from typing import NamedTuple

MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PART_TYPES = {
    "header": "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    "footer": "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
}
HEADER_ID, FOOTER_ID = "rIdGalleyHeader", "rIdGalleyFooter"
# What may stand before `w:pgSz` in a section's properties, and after `w:titlePg`.
BEFORE_SIZE = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type")
AFTER_TITLE_PAGE = (
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
)
# The body's own section properties: its last child.
BODY_SECTION = re.compile(
    r"<w:sectPr\b[^>]*>(?P<inner>(?:(?!<w:sectPr\b).)*?)</w:sectPr>\s*</w:body>", re.S
)
BODY_SECTION_EMPTY = re.compile(r"<w:sectPr\s*/>\s*</w:body>")
# What galley sets itself, removed first so that a second pass writes it once.
OWN_CHILDREN = re.compile(r"<w:(?:headerReference|footerReference|pgSz|pgMar|titlePg)\b[^>]*/>")
POINT = 20  # a twentieth of a point, Word's unit for page sizes
MARKDOWN_MARKS = re.compile(r"[*_`]")


def escape(text: str) -> str:
    """Text for XML, as xml.sax.saxutils.escape writes it; that module imports urllib.request and
    http.client, about 10 ms of every build's start-up."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


class DocxPage(NamedTuple):
    width: float  # points
    height: float
    margin: float
    running_head: str  # plain text
    surnames: list[str]


def page_parts(page: DocxPage) -> dict[str, str]:
    """The header and footer parts, by their names in the archive."""
    width = round((page.width - 2 * page.margin) * POINT)
    small = '<w:rPr><w:i/><w:sz w:val="18"/></w:rPr>'
    runs = f'<w:r>{small}<w:t xml:space="preserve">{escape(page.running_head)}</w:t></w:r>'
    if page.surnames:
        authors = escape(" & ".join(page.surnames))
        runs += (
            f'<w:r>{small}<w:tab/></w:r><w:r>{small}<w:t xml:space="preserve">{authors}</w:t></w:r>'
        )
    header = (
        f'<w:hdr xmlns:w="{MAIN}"><w:p><w:pPr><w:pStyle w:val="Header"/><w:tabs>'
        f'<w:tab w:val="right" w:pos="{width}"/></w:tabs></w:pPr>{runs}</w:p></w:hdr>'
    )
    footer = (
        f'<w:ftr xmlns:w="{MAIN}"><w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/>'
        '</w:pPr><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>'
    )
    return {"word/header1.xml": header, "word/footer1.xml": footer}


def with_part_types(content_types: str) -> str:
    overrides = "".join(
        f'<Override PartName="/word/{kind}1.xml" ContentType="{kind_type}"/>'
        for kind, kind_type in PART_TYPES.items()
        if f"/word/{kind}1.xml" not in content_types
    )
    return content_types.replace("</Types>", overrides + "</Types>")


def with_relationships(rels: str) -> str:
    if HEADER_ID in rels:
        return rels
    added = "".join(
        f'<Relationship Id="{rel_id}" Type="{RELATIONSHIPS}/{kind}" Target="{kind}1.xml"/>'
        for rel_id, kind in ((HEADER_ID, "header"), (FOOTER_ID, "footer"))
    )
    return rels.replace("</Relationships>", added + "</Relationships>")


def with_page(document_xml: str, page: DocxPage) -> str:
    """The document's last section (the body's own `w:sectPr`) with the page's size, margins,
    header and footer; the first page has the footer but no running head, as in the PDF."""
    margin = round(page.margin * POINT)
    references = (
        f'<w:headerReference w:type="default" r:id="{HEADER_ID}"/>'
        f'<w:footerReference w:type="default" r:id="{FOOTER_ID}"/>'
        f'<w:footerReference w:type="first" r:id="{FOOTER_ID}"/>'
    )
    size = (
        f'<w:pgSz w:w="{round(page.width * POINT)}" w:h="{round(page.height * POINT)}"/>'
        f'<w:pgMar w:top="{margin}" w:right="{margin}" w:bottom="{margin}" w:left="{margin}" '
        f'w:header="{margin // 2}" w:footer="{margin // 2}" w:gutter="0"/>'
    )
    document_xml = BODY_SECTION_EMPTY.sub("<w:sectPr></w:sectPr></w:body>", document_xml)
    found = BODY_SECTION.search(document_xml)
    if found is None:
        at = document_xml.rindex("</w:body>")
        document_xml = document_xml[:at] + "<w:sectPr></w:sectPr>" + document_xml[at:]
        found = BODY_SECTION.search(document_xml)
        assert found is not None
    inner = OWN_CHILDREN.sub("", found["inner"])
    before = [m.end() for tag in BEFORE_SIZE for m in _element(tag).finditer(inner)]
    cut = max(before, default=0)
    inner = references + inner[:cut] + size + inner[cut:]
    later = [m.start() for tag in AFTER_TITLE_PAGE for m in _element(tag).finditer(inner)]
    cut = min(later, default=len(inner))
    inner = inner[:cut] + "<w:titlePg/>" + inner[cut:]
    return document_xml[: found.start("inner")] + inner + document_xml[found.end("inner") :]


def _element(tag: str) -> re.Pattern[str]:
    return re.compile(rf"<w:{tag}\b(?:[^>]*/>|.*?</w:{tag}>)", re.S)


def running_head(title: object) -> str:
    """The title as plain text for the running head (no Markdown emphasis marks)."""
    return " ".join(MARKDOWN_MARKS.sub("", str(title or "")).split())
