"""`galley build --anonymous`: no author, affiliation or e-mail survives anywhere in the bytes of
the HTML, the DOCX (every part of the archive) or the PDF (every stream decompressed, the
document information, the XMP metadata and the extracted text)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pypdf
import pytest
import yaml

from tests.conftest import REPO


def identifying_strings() -> list[str]:
    """Every author's name and each part of it, e-mail and its local part, and affiliation,
    read from the article's own front matter."""
    text = (REPO / "manuscript" / "index.qmd").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    found = set()
    for author in front["author"]:
        found.add(author["name"])
        found.update(part for part in author["name"].split() if len(part) > 3)
        found.add(author["email"])
        found.add(author["email"].split("@")[0])
    found.update(affiliation["name"] for affiliation in front["affiliations"])
    assert len(found) >= 9, found  # two names, four name parts, two e-mails (and local parts)
    return sorted(found)


NEEDLES = identifying_strings()


def leaks(data: bytes) -> list[str]:
    lowered = data.lower()
    hits = []
    for needle in NEEDLES:
        for encoded in (needle.encode("utf-8"), needle.encode("utf-16-be")):
            if encoded.lower() in lowered:
                hits.append(needle)
    return sorted(set(hits))


def pdf_parts(path: Path) -> dict[str, bytes]:
    """Every object of the PDF, streams decompressed, with the document information and the
    text as a reader extracts it (Typst writes glyph ids, not letters, in page streams)."""
    reader = pypdf.PdfReader(path)
    numbers = {number for ids in reader.xref.values() for number in ids}
    numbers |= set(reader.xref_objStm)
    parts = {"raw file": path.read_bytes(), "info": repr(reader.metadata).encode("utf-8")}
    for number in sorted(numbers):
        obj = reader.get_object(number)
        if isinstance(obj, pypdf.generic.StreamObject):
            parts[f"stream {number}"] = obj.get_data()
        parts[f"object {number}"] = repr(obj).encode("utf-8")
    parts["text"] = "\n".join(page.extract_text() for page in reader.pages).encode("utf-8")
    return parts


def test_the_needles_are_in_a_normal_build(built_project: Path) -> None:
    """The check can see a leak: every name and e-mail is found in an ordinary build."""
    html = (built_project / "_manuscript" / "manuscript" / "index.html").read_bytes()
    assert leaks(html) == NEEDLES
    with zipfile.ZipFile(built_project / "_manuscript" / "manuscript" / "index.docx") as docx:
        assert leaks(docx.read("docProps/core.xml"))
    pdf = pdf_parts(built_project / "_manuscript" / "manuscript" / "index.pdf")
    assert leaks(pdf["info"]) and leaks(pdf["text"])


def test_no_author_in_the_html(anonymous_outputs: Path) -> None:
    html = (anonymous_outputs / "index.html").read_bytes()
    assert leaks(html) == []
    assert b"mailto:" not in html


def test_no_author_in_any_part_of_the_docx(anonymous_outputs: Path) -> None:
    with zipfile.ZipFile(anonymous_outputs / "index.docx") as docx:
        found = {name: leaks(docx.read(name)) for name in docx.namelist()}
        core = docx.read("docProps/core.xml").decode("utf-8")
    assert {name: hits for name, hits in found.items() if hits} == {}
    assert "<dc:creator" not in core and "lastModifiedBy" not in core


def test_no_author_in_any_stream_or_property_of_the_pdf(anonymous_outputs: Path) -> None:
    parts = pdf_parts(anonymous_outputs / "index.pdf")
    assert len([name for name in parts if name.startswith("stream")]) > 5
    found = {name: leaks(data) for name, data in parts.items()}
    assert {name: hits for name, hits in found.items() if hits} == {}
    info = pypdf.PdfReader(anonymous_outputs / "index.pdf").metadata or {}
    assert "/Author" not in info


@pytest.mark.parametrize("name", ["index.html", "index.docx", "index.pdf"])
def test_the_article_itself_is_still_there(anonymous_outputs: Path, name: str) -> None:
    data = (anonymous_outputs / name).read_bytes()
    assert len(data) > 20_000
    if name == "index.html":
        assert re.search(rb"<h1 class=\"title\">Diplomatic Relations", data)
