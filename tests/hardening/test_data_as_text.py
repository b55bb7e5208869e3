"""Data is text in every generated table: galley.steps.markdown escapes what a step takes from
data, the paper's table scripts use it (a hostile value in data/activities.csv is inert text in
the HTML, read by an HTML parser and by Chromium), and `galley check` warns when a generated
table holds raw HTML that came from the step's data."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pypandoc
import pytest
from hypothesis import given
from hypothesis import strategies as st
from playwright.sync_api import sync_playwright

from galley.steps.markdown import citation, escape_cell
from tests.conftest import CHROMIUM_ARGS, copy_project, galley
from tests.hardening.conftest import run
from tests.hardening.test_fuzz import PROFILE

PANDOC = str(pypandoc.get_pandoc_path())
HOSTILE = "<img src=x onerror=alert(1)>"


class _Cells(HTMLParser):
    """The text of each table cell, and every element's tag and attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))
        if tag in ("td", "th"):
            self.inside = True
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.cells[-1] += data


def _cells(html: str) -> _Cells:
    parsed = _Cells()
    parsed.feed(html)
    return parsed


def _table_html(cells: list[str]) -> str:
    table = "| a | b |\n|---|---|\n| " + " | ".join(cells) + " |\n"
    # without `smart`: typography (curly quotes, dashes) is text too, but not the text given
    result = subprocess.run(
        [PANDOC, "-f", "markdown-smart", "-t", "html"],
        input=table, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout


@PROFILE
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
def test_an_escaped_value_is_read_back_as_exactly_its_text(value: str) -> None:
    parsed = _cells(_table_html([escape_cell(value), "x"]))
    assert " ".join(parsed.cells[2].split()) == " ".join(value.split())
    assert {tag for tag, _ in parsed.elements} <= {"table", "thead", "tbody", "tr", "th", "td"}


@pytest.mark.parametrize(
    "value",
    [HOSTILE, "*a* _b_ `c` $d$ @e ^f^ ~g~ [h](i) <j> &amp; \\k | l {m}", "one\ntwo\r\nthree"],
)
def test_markup_in_a_value_is_text_in_the_table(value: str) -> None:
    parsed = _cells(_table_html([escape_cell(value), "x"]))
    assert " ".join(parsed.cells[2].split()) == " ".join(value.split())
    assert not any(tag in ("img", "a", "em", "code", "span", "sup", "sub") for tag, _ in
                   parsed.elements)  # fmt: skip


def test_a_citation_from_data_cites_only_a_plain_key() -> None:
    assert citation("sec-results") == "@sec-results"
    assert citation("unodc2023:a") == "@unodc2023:a"
    assert citation(HOSTILE) == "\\@\\<img src=x onerror=alert(1)\\>"
    assert citation("a}b") == "\\@a\\}b"


@pytest.fixture(scope="module")
def hostile_article(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The paper, with a hostile value in one activity of data/activities.csv."""
    root = copy_project(tmp_path_factory.mktemp("paper") / "project")
    csv = root / "data" / "activities.csv"
    text = csv.read_text("utf-8")
    csv.write_text(text.replace("Modern forensic technology", HOSTILE, 1), "utf-8")
    result = galley("build", "--to", "html", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def test_the_paper_table_script_writes_a_hostile_value_as_text(hostile_article: Path) -> None:
    table = (hostile_article / "figures" / "tbl-activities.md").read_text("utf-8")
    assert "| \\<img src=x onerror=alert(1)\\> |" in table
    html = (hostile_article / "_manuscript" / "manuscript" / "index.html").read_text("utf-8")
    parsed = _cells(html)
    assert HOSTILE in parsed.cells
    assert not any(tag == "img" and ("onerror", "alert(1)") in attrs for tag, attrs in
                   parsed.elements)  # fmt: skip


@pytest.mark.browser
def test_the_hostile_value_is_inert_text_in_chromium(chromium: str, hostile_article: Path) -> None:
    page_file = hostile_article / "_manuscript" / "manuscript" / "index.html"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(page_file.as_uri())
        page.wait_for_load_state("load")
        cells = page.eval_on_selector_all("td", "cells => cells.map(c => c.textContent.trim())")
        live = page.eval_on_selector_all("img[onerror]", "images => images.length")
        browser.close()
    assert dialogs == []
    assert live == 0
    assert HOSTILE in cells


STEP = """\
[tool.galley.steps.table]
script = "table.py"
inputs = ["values.csv"]
outputs = ["figures/table.md"]
"""
TABLE_SCRIPT = """\
import csv, os, pathlib
{escape}
rows = list(csv.reader(open("values.csv", encoding="utf-8")))
lines = ["| name |", "|------|"] + [f"| {{cell(row[0])}} |" for row in rows[1:]]
out = pathlib.Path(os.environ["GALLEY_OUTPUT_ROOT"], "figures")
out.mkdir(parents=True, exist_ok=True)
(out / "table.md").write_text("\\n".join(lines) + "\\n<b>the script's own</b>\\n", "utf-8")
"""
RAW = "def cell(value):\n    return value\n"
ESCAPED = "from galley.steps.markdown import escape_cell as cell\n"
LIVE = "<b onmouseover=alert(1)>bold</b>"  # no `src`: no missing file besides
ARTICLE = "---\ntitle: T\n---\n\nCites [@a].\n\n{{< include figures/table.md >}}\n"


@pytest.mark.parametrize(("escape", "warned"), [(RAW, True), (ESCAPED, False)])
def test_check_warns_about_raw_html_from_data_in_a_generated_table(
    tiny: Callable[..., Path], escape: str, warned: bool
) -> None:
    root = tiny({
        "pyproject.toml": STEP,
        "table.py": TABLE_SCRIPT.format(escape=escape),
        "values.csv": f"name\nplain\n{LIVE}\n",
        "index.qmd": ARTICLE,
    })  # fmt: skip
    assert run("build", cwd=root).returncode == 0
    result = run("check", "--offline", cwd=root)
    assert result.returncode == 0, result.stdout
    warning = (
        "  figures/table.md:4: warning: `<b onmouseover=alert(1)>` from values.csv is raw HTML in "
        "this "
        "generated table: it becomes markup in the article, not text [data-markup]"
    )
    assert (warning in result.stdout.splitlines()) == warned, result.stdout
    assert "the script's own" not in result.stdout  # the script's own markup is the author's
