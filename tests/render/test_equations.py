"""Display equations `$$ … $$ {#eq-x}` are numbered "(1)" in HTML, DOCX and PDF and `@eq-x`
reads "Equation 1", linked, as in Quarto; HTML math is MathML, which needs no script or network."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup

from tests.conftest import galley
from tests.render.test_crossrefs import make_project

OUT = Path("_manuscript/doc")
BODY = (
    "# One\n\nInline $x^2$ and an unnumbered display:\n\n$$a + b$$\n\n"
    "$$\nE = mc^2\n$$ {#eq-energy}\n\n"
    "$$\n\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}\n$$ {#eq-pair}\n\n"
    "See @eq-energy and [-@eq-pair].\n\n"
    "$$f(x) = \\begin{cases} 1 & x > 0 \\\\ 0 & \\text{else} \\end{cases}$$\n\n"
    "$$\\begin{align} a &= b \\\\ c &= d \\end{align}$$\n\n"
    "$$\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix} \\in \\mathbb{R}^{2 \\times 2}$$\n"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("equations"), BODY)
    result = galley("build", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / OUT


def test_html_equations_are_numbered_mathml_in_quartos_structure(built: Path) -> None:
    page = BeautifulSoup((built / "index.html").read_text(encoding="utf-8"), "html.parser")
    energy = page.select_one("span#eq-energy > span.math.display > math[display=block]")
    assert energy is not None
    assert [mn.get_text() for mn in energy.select("mn")][-1] == "1"
    assert energy.select_one("annotation").get_text().strip() == "E = mc^2\n \\tag{1}"
    pair = page.select_one("span#eq-pair > span.math.display > math")
    assert pair is not None and pair.select("mtable mtr") and "(" in pair.get_text()
    assert page.select_one("span.math.inline > math[display=inline]") is not None
    assert not page.select("script[src]") and "mathjax" not in str(page).lower()


def test_html_math_environments_are_mathml_not_tex_source(built: Path) -> None:
    page = BeautifulSoup((built / "index.html").read_text(encoding="utf-8"), "html.parser")
    for annotation in page.select("annotation"):
        annotation.decompose()
    maths = page.select("span.math > math")
    assert len(maths) == 7
    assert all(m.select("mi, mn, mo") for m in maths)
    assert "\\" not in page.get_text()


def test_html_references_read_equation_n_and_link_to_the_equation(built: Path) -> None:
    page = BeautifulSoup((built / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [(a["href"], a.get_text()) for a in page.select("a.quarto-xref")]
    assert links == [("#eq-energy", "Equation\u00a01"), ("#eq-pair", "2")]


def test_an_unlabelled_display_equation_gets_no_number(built: Path) -> None:
    page = BeautifulSoup((built / "index.html").read_text(encoding="utf-8"), "html.parser")
    numbered = page.select("span[id^=eq-] math")
    plain = [m for m in page.select("span.math.display > math") if m not in numbered]
    assert plain[0].select_one("annotation").get_text() == "a + b"
    assert "(" not in plain[0].get_text()  # no "(n)" after it


def test_docx_equations_are_native_word_math_with_a_bookmark_and_number(built: Path) -> None:
    xml = zipfile.ZipFile(built / "index.docx").read("word/document.xml").decode("utf-8")
    assert re.search(r'<w:bookmarkStart w:id="\d+" w:name="eq-energy" />\s*<m:oMath', xml)
    text = re.sub(r"<[^>]+>", "", xml)
    assert "E=mc2(1)" in re.sub(r"\s", "", text)  # the quad is two em quads
    assert 'w:anchor="eq-energy"' in xml and "Equation\u00a01" in text


def test_pdf_equations_are_numbered_and_referenced(built: Path) -> None:
    text = pypdf.PdfReader(built / "index.pdf").pages[0].extract_text()
    assert re.search(r"𝐸 = 𝑚𝑐2 \(1\)", text)
    assert "See Equation\u00a01 and 2." in text


def test_an_equation_with_alt_text_keeps_the_pdf_ua_1(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, '# One\n\n$$E = mc^2$$ {#eq-e alt="Energy is \\"mass\\" times c squared"}\n'
    )
    result = galley("build", "--to", "typst", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    reader = pypdf.PdfReader(root / OUT / "index.pdf")
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    formulas = [
        reader.get_object(n)
        for n in sorted({n for ids in reader.xref.values() for n in ids})
        if isinstance(reader.get_object(n), pypdf.generic.DictionaryObject)
        and reader.get_object(n).get("/S") == "/Formula"
    ]
    assert [str(f["/Alt"]) for f in formulas] == ['Energy is "mass" times c squared']
