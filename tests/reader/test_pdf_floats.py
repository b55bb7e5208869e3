"""In the PDF, a table or figure too tall for the rest of the page floats to the next one and
the text runs on, instead of leaving the page half empty."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader

from tests.hardening.conftest import QUARTO, run

ROWS = "".join(f"| row {n} | {n} |\n" for n in range(1, 45))
ARTICLE = f"""\
---
title: Floats
---

{"Opening text that fills some of the first page. " * 40}

See @tbl-long.

| name | value |
|------|------:|
{ROWS}
: A long table {{#tbl-long}}

Closing paragraph that follows the table in the source.
"""


def test_a_tall_table_floats_and_the_text_runs_on(tiny: Callable[..., Path]) -> None:
    root = tiny(
        {"_quarto.yml": QUARTO.replace("html: default", "typst: default"), "index.qmd": ARTICLE}
    )
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    pages = [page.extract_text() for page in PdfReader(root / "_manuscript/index.pdf").pages]
    assert "Closing paragraph" in pages[0]  # the text fills the first page
    assert "row 44" not in pages[0] and any("row 44" in page for page in pages[1:])
