"""Figures and tables in the PDF: they float, so the text runs on instead of leaving a page half
empty; a table longer than a page breaks across pages with every row on a page; a table's caption
sits above it (as APA, Quarto's Typst output and galley's HTML put it)."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

from pypdf import PageObject, PdfReader

from tests.hardening.conftest import QUARTO, run
from tests.render.pdf_reading import reading_text

# A4 with galley's 2.5 cm margins: the text area's lower edge, in points from the page's foot.
TEXT_AREA_FOOT = 2.5 / 2.54 * 72


def article(rows: int) -> str:
    lines = "".join(f"| row {n} | {n} |\n" for n in range(1, rows + 1))
    return f"""\
---
title: Floats
---

{"Opening text that fills some of the first page. " * 40}

See @tbl-long.

| name | value |
|------|------:|
{lines}
: A long table {{#tbl-long}}

Closing paragraph that follows the table in the source.
"""


def build_pdf(tiny: Callable[..., Path], rows: int) -> Path:
    root = tiny(
        {
            "_quarto.yml": QUARTO.replace("html: default", "typst: default"),
            "index.qmd": article(rows),
        }
    )
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "_manuscript/index.pdf"


def text_runs(page: PageObject) -> list[tuple[str, float]]:
    """The page's text runs with the height of their baseline above the page's foot."""
    runs: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            runs.append((text.strip(), tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return runs


def lines_by_page(pdf: Path) -> list[list[tuple[str, float]]]:
    return [text_runs(page) for page in PdfReader(pdf).pages]


def heights(runs: list[tuple[str, float]], start: str) -> list[float]:
    """Heights of the runs that start with the word(s) `start` ("row 1" is not "row 12")."""
    return [y for text, y in runs if re.match(re.escape(start) + r"(?!\w)", text)]


def test_a_tall_table_floats_to_the_next_page_and_the_text_runs_on(
    tiny: Callable[..., Path],
) -> None:
    pdf = build_pdf(tiny, 30)
    first, second = PdfReader(pdf).pages[:2]
    assert "Closing paragraph" in first.extract_text()  # the text fills the first page
    assert "row 1 " not in first.extract_text() and "row 30" in second.extract_text()
    # Read in order, the table still comes where the source puts it.
    text = reading_text(pdf)
    assert text.index("See Table") < text.index("row 30") < text.index("Closing paragraph")


def test_a_table_longer_than_a_page_breaks_with_every_row_on_a_page(
    tiny: Callable[..., Path],
) -> None:
    pages = lines_by_page(build_pdf(tiny, 120))
    assert len(pages) >= 3
    for number in range(1, 121):
        found = [y for runs in pages for y in heights(runs, f"row {number}")]
        assert len(found) == 1, f"row {number} drawn {len(found)} times"
        assert found[0] > TEXT_AREA_FOOT, f"row {number} runs below the text area"
    last = next(runs for runs in pages if heights(runs, "row 120"))
    assert heights(last, "Closing paragraph")[0] < heights(last, "row 120")[0]


def test_a_table_caption_sits_above_the_table(tiny: Callable[..., Path]) -> None:
    pages = lines_by_page(build_pdf(tiny, 5))
    page = next(runs for runs in pages if heights(runs, "row 1"))
    [caption] = heights(page, "Table\u00a01:")
    assert caption > heights(page, "name")[0] > heights(page, "row 1")[0]
    assert heights(page, "row 5")[0] > TEXT_AREA_FOOT


def test_the_articles_table_2_holds_its_last_row_under_its_caption(built_project: Path) -> None:
    with (built_project / "data/activities.csv").open(encoding="utf-8") as rows:
        last_row = list(csv.DictReader(rows))[-1]["activity"].split()[0]
    pages = lines_by_page(built_project / "_manuscript/manuscript/index.pdf")
    page = next(runs for runs in pages if heights(runs, "Table\u00a02:"))
    [caption] = heights(page, "Table\u00a02:")
    assert caption > heights(page, "Dimension")[0] > heights(page, last_row)[-1] > TEXT_AREA_FOOT
