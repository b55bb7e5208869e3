"""A tagged PDF's text in its reading order: what a screen reader, a reflowing viewer or a reader
following the text reads.

Page order is not reading order once figures and tables float: a sentence that runs from the foot
of one page to the next is interrupted, in the page's drawing, by a table placed at the top of the
next page, and the reader skips the table to finish the sentence. Typst tags every PDF it writes
(PDF 1.7 structure tree): the body's paragraphs, headings, figures and tables in document order,
each holding its marked content on the pages it spans, with running heads and page numbers left
out as artifacts. This reads that tree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NumberObject

# Page object number -> marked-content id -> text drawn inside it.
Contents = dict[int, dict[int, str]]


def _marked_texts(page: pypdf.PageObject) -> dict[int, str]:
    """Marked-content id -> the text the page draws inside it."""
    texts: dict[int, str] = {}
    open_ids: list[int | None] = []

    def before(op: bytes, args: Any, cm: Any, tm: Any) -> None:
        if op == b"BDC":
            props = args[1] if len(args) > 1 else None
            open_ids.append(props.get("/MCID") if isinstance(props, DictionaryObject) else None)
        elif op == b"BMC":
            open_ids.append(None)
        elif op == b"EMC" and open_ids:
            open_ids.pop()

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        mcid = next((m for m in reversed(open_ids) if m is not None), None)
        if mcid is not None:
            texts[mcid] = texts.get(mcid, "") + text

    page.extract_text(visitor_operand_before=before, visitor_text=visit)
    return texts


def _page_of(node: DictionaryObject, inherited: int | None) -> int | None:
    page = node.get("/Pg")
    return page.idnum if isinstance(page, IndirectObject) else inherited


def _walk(node: Any, contents: Contents, page: int | None, out: list[str]) -> None:
    node = node.get_object()
    if isinstance(node, ArrayObject):
        for kid in node:
            _walk(kid, contents, page, out)
    elif isinstance(node, NumberObject) and page is not None:
        out.append(contents[page].get(int(node), ""))
    elif isinstance(node, DictionaryObject):
        page = _page_of(node, page)
        if node.get("/Type") == "/MCR" and page is not None:
            out.append(contents[page].get(int(node["/MCID"]), ""))
        elif "/K" in node and node.get("/Type") != "/OBJR":
            _walk(node["/K"], contents, page, out)


def reading_text(path: Path) -> str:
    """The PDF's tagged text in reading order, artifacts (running heads, page numbers) left out."""
    reader = pypdf.PdfReader(path)
    tree = reader.trailer["/Root"].get("/StructTreeRoot")
    assert tree is not None, f"{path} is not a tagged PDF"
    contents: Contents = {}
    for page in reader.pages:
        assert page.indirect_reference is not None
        contents[page.indirect_reference.idnum] = _marked_texts(page)
    out: list[str] = []
    _walk(tree.get_object()["/K"], contents, None, out)
    return "".join(out)
