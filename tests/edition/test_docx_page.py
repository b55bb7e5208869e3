"""The DOCX's page is the PDF's: its paper and margins, a running head from the second page on
(without the authors in the anonymous edition), and page numbers."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from tests.conftest import galley
from tests.render.fixtures import docx_xml, write_project


def _parts(docx: Path) -> dict[str, str]:
    with zipfile.ZipFile(docx) as archive:
        names = [n for n in archive.namelist() if n.endswith((".xml", ".rels"))]
        return {name: archive.read(name).decode("utf-8") for name in names}


def _body_section(document: str) -> str:
    return re.findall(r"<w:sectPr\b.*?</w:sectPr>", document, re.S)[-1]


def test_the_docx_has_the_pdfs_a4_page_a_running_head_and_page_numbers(
    built_project: Path,
) -> None:
    parts = _parts(built_project / "_manuscript/manuscript/index.docx")
    section = _body_section(parts["word/document.xml"])
    assert '<w:pgSz w:w="11906" w:h="16838"/>' in section  # A4, as the PDF
    assert 'w:top="1417"' in section and 'w:left="1417"' in section  # 2.5 cm margins
    assert "<w:titlePg/>" in section  # no running head on the title page
    header_id = re.search(r'<w:headerReference w:type="default" r:id="(\w+)"/>', section)
    assert header_id
    rels = parts["word/_rels/document.xml.rels"]
    target = re.search(rf'Id="{header_id[1]}"[^>]*Target="([^"]+)"', rels)
    assert target
    header = parts["word/" + target[1]]
    assert "Diplomatic Relations between the Indonesian National Police" in header
    assert "Rasyid &amp; Ramadhan" in header
    assert 'w:instr=" PAGE "' in parts["word/footer1.xml"]
    assert 'PartName="/word/header1.xml"' in parts["[Content_Types].xml"]


def test_the_anonymous_docx_running_head_names_no_author(anonymous_outputs: Path) -> None:
    header = _parts(anonymous_outputs / "index.docx")["word/header1.xml"]
    assert "Diplomatic Relations" in header
    assert "Rasyid" not in header and "Ramadhan" not in header


def test_the_review_docx_keeps_its_line_numbers_before_the_title_page_mark(
    review_outputs: Path,
) -> None:
    section = _body_section(_parts(review_outputs / "index.docx")["word/document.xml"])
    assert section.index("<w:pgSz") < section.index("<w:lnNumType") < section.index("<w:titlePg")


def test_a_letter_pdf_gives_a_letter_docx(tmp_path: Path) -> None:
    root = write_project(
        tmp_path, "title: A *short* title\npapersize: letter\n", "Text.\n", formats="docx typst"
    )
    result = galley("build", "--to", "docx", cwd=root)
    assert result.returncode == 0, result.stderr
    section = _body_section(docx_xml(root))
    assert '<w:pgSz w:w="12240" w:h="15840"/>' in section  # US Letter: 8.5 x 11 in
    header = docx_xml(root, "word/header1.xml")
    assert ">A short title<" in header
