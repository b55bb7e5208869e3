"""`galley build --profile review`: a passage carries the same paragraph number in all formats.

What "consistent" means here:
- paragraph numbers: body paragraph N (the N-th paragraph of the body, in document order) is
  `#p-N` with the mark "¶N" in the HTML, starts with the mark "¶N" in the PDF and with the run
  "¶N" (style "Paragraph Number") in the DOCX — the same N for the same passage everywhere;
- line numbers: the PDF numbers its lines 1, 2, 3... continuously across pages, so a reviewer
  can say "¶6, line 89"; the DOCX asks Word for the same continuous numbering (`w:lnNumType`).
  Word lays out its own lines, so PDF and DOCX line numbers are not expected to agree: the
  paragraph number is the reference that holds across the three formats.
"""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx
import pypdf
import pytest

# Three sample passages: the first paragraph, the first of the Methods, the article's last.
PASSAGES = (
    "Narcotics trafficking and abuse are real threats",
    "This study uses a qualitative approach with the literature study method",
    "Second, an evidence-based and human rights approach must be",
)
LAYOUT_LINE = re.compile(r"^\s*(\d+)\s{2,}(.*?)(?:\s+¶(\d+))?\s*$")


def words(text: str) -> str:
    return " ".join(text.replace("-\n", "").split())


class _Paragraphs(HTMLParser):
    """Text of every `<div id="p-N">`, by N."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: dict[int, str] = {}
        self.current: int | None = None
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        ident = dict(attrs).get("id") or ""
        if tag == "div" and re.fullmatch(r"p-\d+", ident):
            self.current, self.depth = int(ident[2:]), 0
            self.texts[self.current] = ""
        elif tag == "div" and self.current is not None:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.current is not None:
            if self.depth == 0:
                self.current = None
            else:
                self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.texts[self.current] += data


def html_numbers(path: Path) -> dict[int, str]:
    parser = _Paragraphs()
    parser.feed(path.read_text(encoding="utf-8"))
    return {n: words(text) for n, text in parser.texts.items()}


def pdf_lines(path: Path) -> list[tuple[int, str, int | None]]:
    """(line number, text, paragraph number starting on that line) for every numbered line."""
    lines = []
    for page in pypdf.PdfReader(path).pages:
        for line in page.extract_text(extraction_mode="layout").splitlines():
            match = LAYOUT_LINE.match(line)
            if match:
                para = int(match[3]) if match[3] else None
                lines.append((int(match[1]), words(match[2]), para))
    return lines


def docx_numbers(path: Path) -> dict[int, str]:
    numbers = {}
    for paragraph in docx.Document(str(path)).paragraphs:
        runs = paragraph.runs
        if runs and runs[0].style.name == "Paragraph Number":
            mark = re.fullmatch(r"¶(\d+)", runs[0].text)
            assert mark, runs[0].text
            numbers[int(mark[1])] = words(paragraph.text.removeprefix(runs[0].text))
    return numbers


def number_of(numbers: dict[int, str], passage: str) -> int:
    found = [n for n, text in numbers.items() if text.startswith(passage)]
    assert len(found) == 1, (passage, found)
    return found[0]


def test_html_paragraphs_are_numbered_in_order_with_permalinks(review_outputs: Path) -> None:
    html = (review_outputs / "index.html").read_text(encoding="utf-8")
    numbers = html_numbers(review_outputs / "index.html")
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    assert len(numbers) >= 12  # the article has 14 body paragraphs
    assert all(text.startswith(f"¶{n}") for n, text in numbers.items())
    permalink = (
        r'<div id="p-12" class="numbered-para">\s*<p><a\s+href="#p-12"\s+class="para-number"'
    )
    assert re.search(permalink, html)


@pytest.mark.parametrize("passage", PASSAGES)
def test_a_passage_has_the_same_paragraph_number_in_html_pdf_and_docx(
    review_outputs: Path, passage: str
) -> None:
    html = {
        n: text.removeprefix(f"¶{n}")
        for n, text in html_numbers(review_outputs / "index.html").items()
    }
    number = number_of(html, passage)
    pdf = {para: text for _, text, para in pdf_lines(review_outputs / "index.pdf") if para}
    assert number_of(pdf, passage[:40]) == number
    assert number_of(docx_numbers(review_outputs / "index.docx"), passage) == number


def test_every_paragraph_has_its_number_in_the_docx(review_outputs: Path) -> None:
    html = html_numbers(review_outputs / "index.html")
    assert sorted(docx_numbers(review_outputs / "index.docx")) == sorted(html)


def test_every_paragraph_has_its_number_in_the_pdf(review_outputs: Path) -> None:
    html = html_numbers(review_outputs / "index.html")
    pdf = [para for _, _, para in pdf_lines(review_outputs / "index.pdf") if para]
    assert pdf == sorted(html)


def test_pdf_lines_are_numbered_continuously_across_pages(review_outputs: Path) -> None:
    numbers = [line for line, _, _ in pdf_lines(review_outputs / "index.pdf")]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) > 300


def test_docx_asks_word_for_continuous_line_numbers(review_outputs: Path) -> None:
    with zipfile.ZipFile(review_outputs / "index.docx") as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    sections = re.findall(r"<w:sectPr\b.*?</w:sectPr>", document, re.S)
    assert sections
    for section in sections:
        assert '<w:lnNumType w:countBy="1" w:distance="360" w:restart="continuous"/>' in section


def test_an_ordinary_build_has_no_numbers(built_project: Path) -> None:
    html = (built_project / "_manuscript" / "manuscript" / "index.html").read_text(encoding="utf-8")
    assert 'class="numbered-para"' not in html
    with zipfile.ZipFile(built_project / "_manuscript" / "manuscript" / "index.docx") as archive:
        assert b"lnNumType" not in archive.read("word/document.xml")
