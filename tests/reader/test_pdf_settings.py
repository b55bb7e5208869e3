"""The PDF's paper size and fonts: Quarto's settings work, and what Typst cannot do is one line
naming the setting (or the character), the file and line, and what to do."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import typst
from pypdf import PdfReader

from tests.hardening.conftest import QUARTO, run

TYPST_ONLY = QUARTO.replace("html: default", "typst: default")


def article(front: str, body: str = "Text.") -> str:
    return f"---\ntitle: Settings\n{front}\n---\n\n{body}\n"


def test_pandocs_paper_names_give_that_paper(tiny: Callable[..., Path]) -> None:
    root = tiny({"_quarto.yml": TYPST_ONLY, "index.qmd": article("papersize: legal")})
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    page = PdfReader(root / "_manuscript/index.pdf").pages[0].mediabox
    assert (round(float(page.width)), round(float(page.height))) == (612, 1008)  # US legal


def test_an_unknown_paper_size_names_the_setting_its_line_and_the_names_to_use(
    tiny: Callable[..., Path],
) -> None:
    front = "format:\n  typst:\n    papersize: a4paper"
    root = tiny({"_quarto.yml": TYPST_ONLY, "index.qmd": article(front)})
    result = run("build", cwd=root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "galley: error: index.qmd:5: `papersize: a4paper` is not a paper size; write a Typst "
        "paper name such as a4, a5, us-letter (or letter), us-legal (or legal), or another from "
        "https://typst.app/docs/reference/layout/page/#parameters-paper"
    )
    assert not (root / "_manuscript/index.pdf").exists()


def test_a_paper_size_in_quarto_yml_is_reported_at_its_line(tiny: Callable[..., Path]) -> None:
    quarto = TYPST_ONLY.replace("typst: default", "typst:\n    papersize: A-4")
    root = tiny({"_quarto.yml": quarto})
    result = run("build", cwd=root)
    assert result.returncode == 1
    assert "galley: error: _quarto.yml:12: `papersize: A-4` is not a paper size" in result.stderr


def test_mainfont_is_the_pdfs_text_font(tiny: Callable[..., Path]) -> None:
    # New Computer Modern comes with Typst, so every machine has it.
    front = "mainfont: New Computer Modern"
    root = tiny({"_quarto.yml": TYPST_ONLY, "index.qmd": article(front)})
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    page = PdfReader(root / "_manuscript/index.pdf").pages[0]
    fonts = {str(font["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    assert any("NewCM" in font for font in fonts), fonts
    assert not any("Libertinus" in font for font in fonts), fonts


@pytest.mark.skipif(
    any("CJK" in family for family in typst.Fonts().families()),
    reason="a CJK font is installed here, so the PDF can show the text",
)
def test_cjk_text_without_a_font_names_the_character_its_line_and_the_font_to_install(
    tiny: Callable[..., Path],
) -> None:
    body = "Text.\n\nThe committee met in 東京 in 2024."
    root = tiny({"_quarto.yml": TYPST_ONLY, "index.qmd": article("lang: en", body)})
    result = run("build", cwd=root)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[-1] == (
        "galley: error: index.qmd:8: the PDF cannot show `東` (U+6771, Chinese/Japanese (CJK) "
        "script): neither its font (Libertinus Serif) nor any installed font has it; install a "
        "font for that script (Debian or Ubuntu: `apt install fonts-noto-cjk`) or name one that "
        "has it with `mainfont:` in the front matter, then build again"
    )
