"""The PDF's document properties hold each value on one line, however long the list."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader

from tests.hardening.conftest import QUARTO, run

NAMES = ["Ibrahim Rasyid", "Razfi Ramadhan", "Alexandra Wijayakusuma", "Bartholomew Setiawan"]
KEYWORDS = ["security diplomacy", "non-traditional security", "international cooperation"]
ARTICLE = (
    "---\ntitle: A title long enough to pass the seventy-two columns pandoc wraps at, twice over\n"
    "author:\n"
    + "".join(f"  - name: {n}\n" for n in NAMES)
    + f"keywords: {KEYWORDS}\n---\n\nText.\n"
)


def test_pdf_properties_have_no_line_breaks(tiny: Callable[..., Path]) -> None:
    root = tiny(
        {"_quarto.yml": QUARTO.replace("html: default", "typst: default"), "index.qmd": ARTICLE}
    )
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    meta = PdfReader(root / "_manuscript/index.pdf").metadata
    assert meta is not None
    assert meta.author == ", ".join(NAMES)
    assert meta["/Keywords"] == ", ".join(KEYWORDS)
    assert "\n" not in (meta.title or "")
