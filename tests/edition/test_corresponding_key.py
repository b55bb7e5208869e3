"""The corresponding author's mark has its key ("* Corresponding author") in the HTML and the
PDF, only when an author is marked, and never in the anonymous edition."""

from __future__ import annotations

from pathlib import Path

import pypdf

from tests.conftest import galley
from tests.render.fixtures import html, pdf_text, write_project

KEY = '<p class="corresponding-key"><span class="corresponding" aria-hidden="true">*</span> Corresponding author</p>'


def _first_page(pdf: Path) -> str:
    return " ".join((pypdf.PdfReader(pdf).pages[0].extract_text() or "").split())


def test_the_article_keys_its_corresponding_author_mark(built_project: Path) -> None:
    out = built_project / "_manuscript" / "manuscript"
    assert KEY in (out / "index.html").read_text(encoding="utf-8")
    assert "* Corresponding author" in _first_page(out / "index.pdf")


def test_the_anonymous_edition_has_no_key(anonymous_outputs: Path) -> None:
    assert "Corresponding author" not in (anonymous_outputs / "index.html").read_text("utf-8")
    assert "Corresponding author" not in _first_page(anonymous_outputs / "index.pdf")


def test_no_key_without_a_corresponding_author(tmp_path: Path) -> None:
    front = "title: T\nauthor:\n  - name: Ann Known\n    email: ann@example.org\n"
    root = write_project(tmp_path, front, "Text.\n", formats="html typst")
    assert galley("build", cwd=root).returncode == 0
    assert 'class="corresponding-key"' not in html(root)
    assert "Corresponding author" not in pdf_text(root)
