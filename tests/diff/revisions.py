"""Word's "Accept all" and "Reject all" on a DOCX's `word/document.xml`, as XML transformations.

Accepting keeps what `w:ins` holds and drops what `w:del` holds; rejecting does the opposite.
A paragraph whose mark is dropped joins the next paragraph (what remains of it, if anything),
and a table row marked as dropped goes, as Word does (ECMA-376 part 1, 17.13.5: revisions).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _drop(mark: etree._Element) -> None:
    parent = mark.getparent()
    if parent.tag == W + "rPr" and parent.getparent().tag == W + "pPr":
        paragraph = parent.getparent().getparent()
        following = paragraph.getnext()
        rest = [child for child in paragraph if child.tag != W + "pPr"]
        if following is not None and following.tag == W + "p":
            anchor = following.find(W + "pPr")
            for child in reversed(rest):
                if anchor is None:
                    following.insert(0, child)
                else:
                    anchor.addnext(child)
        paragraph.getparent().remove(paragraph)
    elif parent.tag == W + "trPr":
        row = parent.getparent()
        row.getparent().remove(row)
    else:
        parent.remove(mark)


def _keep(mark: etree._Element) -> None:
    parent = mark.getparent()
    if parent.tag in (W + "rPr", W + "trPr"):
        parent.remove(mark)
        return
    index = parent.index(mark)
    for offset, child in enumerate(list(mark)):
        parent.insert(index + offset, child)
    parent.remove(mark)


def resolve(docx: Path, accept: bool) -> etree._Element:
    with zipfile.ZipFile(docx) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    kept, dropped = (W + "ins", W + "del") if accept else (W + "del", W + "ins")
    # Runs first, then paragraph marks and rows, so a dropped paragraph carries only what stays.
    marks = list(root.iter(dropped))
    for mark in sorted(marks, key=lambda m: m.getparent().tag in (W + "rPr", W + "trPr")):
        _drop(mark)
    for mark in list(root.iter(kept)):
        _keep(mark)
    for deleted in root.iter(W + "delText"):
        deleted.tag = W + "t"
    return root


def paragraphs(root: etree._Element, styles: set[str] | None = None) -> list[str]:
    """Each paragraph's text (tables' cells included) in reading order, whitespace collapsed;
    only those with one of `styles` when given."""
    texts = []
    for paragraph in root.iter(W + "p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        name = style.get(W + "val") if style is not None else None
        if styles is not None and name not in styles:
            continue
        text = " ".join("".join(t.text or "" for t in paragraph.iter(W + "t")).split())
        if text:
            texts.append(text)
    return texts


def document(docx: Path) -> etree._Element:
    with zipfile.ZipFile(docx) as archive:
        return etree.fromstring(archive.read("word/document.xml"))
