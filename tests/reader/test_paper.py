"""The article as a reviewer reads it: alt text from the data, APA 7 details in the reference
list and captions, and no column that says the same on every row."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import copy_project, galley


def html_of(root: Path) -> str:
    return (root / "_manuscript/manuscript/index.html").read_text(encoding="utf-8")


def test_prevalence_alt_text_follows_the_data(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "paper")
    data = root / "data" / "prevalence.csv"
    # A test-only edit of the 2023 row: the alt text must follow it as the prose does.
    data.write_text(data.read_text().replace("2023,15-64,1.73,", "2023,15-64,1.74,"))
    result = galley("build", "--to", "html", cwd=root)
    assert result.returncode == 0, result.stderr
    [alt] = re.findall(r'<img[^>]*alt="(Bar chart[^"]*)"', html_of(root))
    assert alt.endswith("1.80 percent in 2019, 1.95 percent in 2021 and 1.74 percent in 2023.")


def test_translated_titles_and_slides_are_bracketed_after_the_title(built_project: Path) -> None:
    html = html_of(built_project)
    assert "kejahatan narkotika</em> [Indonesia and UNODC discussed increasing" in html
    assert "Indonesia Bersinar</span></em> [HANI 2024: Communities move" in html
    assert "tahun 2021</em> [Slide presentation]." in html
    assert "Slide presentation, Jakarta" not in html


def test_figure_captions_have_no_doubled_parentheses(built_project: Path) -> None:
    captions = re.findall(r"<figcaption.*?</figcaption>", html_of(built_project), re.S)
    assert len(captions) == 4
    for caption in captions:
        assert "))" not in re.sub(r"<[^>]+>", "", caption)


def test_activities_table_has_no_column_repeating_one_section(built_project: Path) -> None:
    html = html_of(built_project)
    table = html[html.index('id="tbl-activities"') :]
    table = table[: table.index("</table>")]
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", table)
    assert headers == ["Dimension", "Activity", "Wording in the text"]
    assert table.count("Section&nbsp;3") == 1  # in the caption, once
