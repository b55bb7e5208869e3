"""`_manuscript/diff.docx`: the manuscript with the changes as Word's tracked changes.

The document is the DOCX galley builds for the current version with its body written anew from
the comparison, block by block, in that DOCX's own styles (Title, Author, Abstract, Heading n,
Body Text, Bibliography…), so it reads like the normal DOCX. Every word inserted is a run inside
`w:ins`, every word deleted a `w:delText` run inside `w:del`, author "galley", dated by the
current version; a paragraph or table row added or removed whole has its paragraph mark (or row)
marked too. So Word's "Accept all" leaves the current text, "Reject all" the submitted one.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches

from galley.review.compare import Comparison, Entry, Piece, Row

# The DOCX styles pandoc's reference document has, by block kind.
STYLES = {"paragraph": "Body Text", "item": "Compact", "reference": "Bibliography"}
FRONT_STYLES = {
    "title": "Title",
    "subtitle": "Subtitle",
    "authors": "Author",
    "affiliations": "Author",
    "abstract": "Abstract",
    "keywords": "Abstract",
}
# The blocks whose unchanged paragraphs are the normal DOCX's own.
COPIED = ("heading", "paragraph", "item", "reference")
STATUS_MARK = {"added": "w:ins", "removed": "w:del"}
IMAGE_WIDTH_INCHES = 5.5
SPACES = re.compile(r"\s+")


def _text(paragraph: Any) -> str:
    return " ".join("".join(t.text or "" for t in paragraph.iter(qn("w:t"))).split())


class _Writer:
    """Appends marked paragraphs and tables to a python-docx Document."""

    def __init__(self, document: Any, date: str, unchanged: dict[str, list[Any]]) -> None:
        self.document = document
        self.date = date
        self.ids = itertools.count(1)
        # The normal DOCX's paragraphs by their text: an unchanged one is copied whole, with its
        # italics, links and notes.
        self.unchanged = unchanged

    def copy(self, entry: Entry) -> bool:
        """Append the normal DOCX's own paragraph for an unchanged text block, if it has one."""
        key = " ".join(entry.block.text.split())
        if entry.status != "equal" or entry.block.kind not in COPIED or not self.unchanged.get(key):
            return False
        paragraph = self.unchanged[key].pop(0)
        self.document.element.body.find(qn("w:sectPr")).addprevious(copy.deepcopy(paragraph))
        return True

    def mark(self, tag: str) -> Any:
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(next(self.ids)))
        element.set(qn("w:author"), "galley")
        element.set(qn("w:date"), self.date)
        return element

    def runs(self, paragraph: Any, pieces: Iterable[Piece]) -> None:
        for op, text in pieces:
            text = SPACES.sub(" ", text)
            if not text:
                continue
            run = OxmlElement("w:r")
            words = OxmlElement("w:delText" if op == "delete" else "w:t")
            words.set(qn("xml:space"), "preserve")
            words.text = text
            run.append(words)
            if op == "equal":
                paragraph._p.append(run)
            else:
                wrapper = self.mark("w:ins" if op == "insert" else "w:del")
                wrapper.append(run)
                paragraph._p.append(wrapper)

    def paragraph(self, style: str, pieces: Iterable[Piece], status: str = "equal") -> Any:
        paragraph = self.document.add_paragraph(style=style)
        if status in STATUS_MARK:
            properties = OxmlElement("w:rPr")
            properties.append(self.mark(STATUS_MARK[status]))
            paragraph._p.get_or_add_pPr().append(properties)
        self.runs(paragraph, pieces)
        return paragraph

    def table(self, rows: tuple[Row, ...]) -> None:
        width = max(len(row.cells) for row in rows)
        table = self.document.add_table(rows=len(rows), cols=width)
        table.style = "Table"
        for row, cells in zip(table.rows, rows, strict=True):
            if cells.status in STATUS_MARK:
                properties = OxmlElement("w:trPr")
                properties.append(self.mark(STATUS_MARK[cells.status]))
                row._tr.insert(0, properties)
            for cell, pieces in zip(row.cells, cells.cells, strict=False):
                cell.paragraphs[0].style = "Compact"  # as pandoc writes a table's cells
                self.runs(cell.paragraphs[0], pieces)

    def images(self, entry: Entry) -> None:
        paragraph = self.paragraph("Captioned Figure", [], entry.status)
        sides = [(entry.new, "equal")]
        if entry.images_changed:
            sides = [(entry.old, "delete"), (entry.new, "insert")]
        for block, op in sides:
            for image in block.images if block else ():
                if image.sha256 is None:
                    continue
                run = paragraph.add_run()
                run.add_picture(str(image.path), width=Inches(IMAGE_WIDTH_INCHES))
                if op != "equal":
                    wrapper = self.mark("w:ins" if op == "insert" else "w:del")
                    run._r.addprevious(wrapper)
                    wrapper.append(run._r)

    def entry(self, entry: Entry, after_heading: bool) -> None:
        block = entry.block
        if self.copy(entry):
            return
        if block.kind == "front":
            if block.ident == "abstract":
                self.paragraph("Abstract Title", [("equal", "Abstract")], entry.status)
            self.paragraph(FRONT_STYLES[block.ident], entry.pieces, entry.status)
        elif block.kind == "heading":
            self.paragraph(f"Heading {min(block.level, 9)}", entry.pieces, entry.status)
        elif block.kind == "figure":
            self.images(entry)
            self.paragraph("Image Caption", entry.pieces, entry.status)
        elif block.kind == "table":
            self.paragraph("Table Caption", entry.pieces, entry.status)
            if entry.rows:
                self.table(entry.rows)
        else:
            style = STYLES[block.kind]
            if style == "Body Text" and after_heading:
                style = "First Paragraph"
            self.paragraph(style, entry.pieces, entry.status)


def write_tracked_docx(comparison: Comparison, template: Path, target: Path, date: str) -> None:
    """The marked manuscript into `target`, from `template` (the current version's DOCX)."""
    document = docx.Document(str(template))
    body = document.element.body
    unchanged: dict[str, list[Any]] = {}
    for child in list(body):
        if child.tag == qn("w:p"):
            unchanged.setdefault(_text(child), []).append(child)
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    writer = _Writer(document, date, unchanged)
    previous = ""
    for entry in comparison.entries:
        writer.entry(entry, previous == "heading")
        previous = entry.block.kind
    document.save(str(target))
