"""Every Typst failure says where and what to do, and the PDF is written wherever pandoc and
Typst can make one (issue 20, item 5): with real pandoc and the real Typst module, one tiny
project per failure Typst 0.15 shows."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
import typst

from tests.conftest import REPO, galley
from tests.render.test_crossrefs import make_project
from tests.render.test_policies import _xmp

OUT = Path("_manuscript/doc")


def pdf_text(root: Path) -> str:
    reader = pypdf.PdfReader(root / OUT / "index.pdf")
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "warning" in line]


def test_a_link_to_no_anchor_is_text_in_the_pdf_with_a_warning_at_its_line(
    tmp_path: Path,
) -> None:
    # Pandoc writes `[the start](#0)` as `#link(<0>)[the start]`; Typst: "label `<0>` does not
    # exist in the document", and no PDF (Quarto's too).
    root = make_project(tmp_path, "# One\n\nSee [the start](#0) and more [@known2020].\n")

    result = galley("build", cwd=root)

    assert result.returncode == 0, result.stderr
    assert warnings(result.stderr) == [
        "galley: warning: doc/index.qmd:7: link to `#0` points to no element of the document (in "
        "the PDF it is plain text); give the target an id with {#0}, or fix the link "
        "[missing-anchor]"
    ]
    assert "See the start and more" in pdf_text(root)
    assert 'href="#0"' in (root / OUT / "index.html").read_text(encoding="utf-8")


def test_a_csl_typst_cannot_read_falls_back_to_citeproc_with_one_warning_at_its_element(
    tmp_path: Path,
) -> None:
    # citeproc reads a `<category field="economics"/>`; Typst's CSL parser knows no such field.
    root = make_project(tmp_path, "# One\n\nText [@known2020].\n")
    style = (REPO / "apa.csl").read_text(encoding="utf-8")
    first = '<category field="anthropology"/>'
    (root / "apa.csl").write_text(
        style.replace(first, first + '\n    <category field="economics"/>', 1), encoding="utf-8"
    )

    result = galley("build", cwd=root)

    assert result.returncode == 0, result.stderr
    assert warnings(result.stderr) == [
        "galley: warning: apa.csl:23: Typst cannot read this CSL style (failed to load CSL style "
        "(Deserialization error occured at `info.category[2]`)): "
        "<category field=\"economics\"/>; the PDF's citations are formatted by pandoc's citeproc "
        "with it instead, as the HTML's and the DOCX's; for Typst's own, remove or correct that "
        "element"
    ]
    assert "Text (Known, 2020)." in pdf_text(root)
    assert "Known, A. (2020). A book. P." in pdf_text(root)


def test_a_pdf_figure_gives_a_plain_pdf_and_one_warning_at_its_line(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, '# One\n\n![A box](box.pdf){#fig-box fig-alt="A blue box"}\n\nSee @fig-box.\n'
    )
    page = tmp_path / "box.typ"
    page.write_text("#set page(width: 4cm, height: 2cm)\n#rect(fill: blue)\n", encoding="utf-8")
    typst.compile(str(page), output=str(root / "doc" / "box.pdf"))

    result = galley("build", cwd=root)

    assert result.returncode == 0, result.stderr
    assert warnings(result.stderr) == [
        "galley: warning: doc/index.qmd:7: the PDF is not PDF/UA-1 (tagged for accessibility), "
        "since Typst refused it: embedding PDFs is currently not supported in this export mode "
        "(Typst: try converting the PDF to an SVG before embedding it)"
    ]
    assert "Figure 1: A box" in pdf_text(root)
    assert "pdfuaid" not in _xmp(root / OUT / "index.pdf")


@pytest.mark.parametrize(
    ("heading", "line"), [("## {#sec-empty}", 9), ("#", 9)], ids=["with-id", "bare"]
)
def test_an_empty_heading_gives_a_plain_pdf_and_one_warning_at_its_line(
    tmp_path: Path, heading: str, line: int
) -> None:
    # Quarto renders a heading with no title; Typst refuses it in a tagged PDF ("heading title
    # is empty"), pointing at `= ` in the .typ.
    root = make_project(tmp_path, f"# One\n\nText.\n\n{heading}\n\nMore.\n")
    # Unnumbered: a section number would be the heading's title.
    config = root / "_quarto.yml"
    config.write_text(config.read_text("utf-8").replace("number-sections: true\n", ""), "utf-8")

    result = galley("build", "--to", "typst", cwd=root)

    assert result.returncode == 0, result.stderr
    assert warnings(result.stderr) == [
        f"galley: warning: doc/index.qmd:{line}: the PDF is not PDF/UA-1 (tagged for "
        "accessibility), since Typst refused it: heading title is empty"
    ]
    assert "pdfuaid" not in _xmp(root / OUT / "index.pdf")


def test_a_citation_key_typst_cannot_find_is_marked_in_the_pdf_with_a_warning_at_its_line(
    tmp_path: Path,
) -> None:
    # Typst's own citations (no `citeproc: true`): pandoc writes `@nokey`, `@nokey[p.~3]` and
    # `#cite(<nokey>, form: "year")`, and Typst stops at each ("label `<nokey>` does not exist
    # in the document", "citation key `nokey` is not present in the bibliography").
    root = make_project(
        tmp_path, "# One\n\nText [@known2020] and\n@nokey says [-@nokey] and [@nokey, p. 3].\n"
    )

    result = galley("build", "--to", "typst", cwd=root)

    assert result.returncode == 0, result.stderr
    assert warnings(result.stderr) == [
        "galley: warning: doc/index.qmd:8: citation `@nokey` is not in the bibliography "
        "(refs.bib), so it renders as nokey?; add the entry or fix the key [missing-key]"
    ]
    assert "Text (Known, 2020) and nokey? says nokey? and nokey?." in pdf_text(root)


def test_a_failing_pdf_keeps_the_previous_one_and_the_others_are_written(tmp_path: Path) -> None:
    root = make_project(tmp_path, "# One\n\nFirst [@known2020].\n")
    assert galley("build", cwd=root).returncode == 0
    pdf = (root / OUT / "index.pdf").read_bytes()
    article = root / "doc" / "index.qmd"
    article.write_text(
        article.read_text().replace("First", "Second") + "\n```{=typst}\n#ref(<nowhere>)\n```\n",
        encoding="utf-8",
    )

    result = galley("build", cwd=root)

    assert result.returncode == 1
    assert result.stderr.splitlines()[1] == (
        "galley: error: typst: doc/index.qmd:10: the Typst reference to `<nowhere>` points to "
        "no label in the document; add `{#nowhere}` to the element it means, or fix the reference"
    )
    assert "Second" in (root / OUT / "index.html").read_text(encoding="utf-8")
    assert (root / OUT / "index.docx").stat().st_mtime > (root / OUT / "index.pdf").stat().st_mtime
    assert (root / OUT / "index.pdf").read_bytes() == pdf


def test_a_link_written_as_its_own_target_keeps_its_text_and_link_in_the_pdf(
    tmp_path: Path,
) -> None:
    # Pandoc 3.9 writes `[#top](#top)` as `#link(<top>)` with no text, which Typst refuses
    # ("missing argument: body") though the anchor exists.
    root = make_project(tmp_path, "# One {#top}\n\nBack to [#top](#top) [@known2020].\n")

    result = galley("build", "--to", "typst", cwd=root)

    assert result.returncode == 0, result.stderr
    assert warnings(result.stderr) == []
    assert "Back to #top (Known, 2020)." in pdf_text(root)
    page = pypdf.PdfReader(root / OUT / "index.pdf").pages[0]
    assert "top" in [annot.get_object().get("/Dest") for annot in page["/Annots"]]
