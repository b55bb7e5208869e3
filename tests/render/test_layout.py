"""Panel layouts (`layout-ncol`, `layout-nrow`, `layout`) are arranged as Quarto arranges them:
flex rows of cells in HTML, a borderless Word table per row in DOCX, Typst grids in the PDF."""

from __future__ import annotations

import re
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from lxml import etree
from pypdf import PdfReader

from galley.engines.pandoc import RESOURCES
from galley.util.tools import pandoc_path
from tests.conftest import galley
from tests.render.test_crossrefs import make_project

W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
DOT = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="18"/></svg>'


def dots(count: int) -> str:
    return "".join(f"![Dot {n}](dot.svg)\n\n" for n in range(1, count + 1))


def build(root: Path, fmt: str) -> Path:
    (root / "doc" / "dot.svg").write_text(DOT, encoding="utf-8")
    result = galley("build", "--to", fmt, cwd=root)
    assert result.returncode == 0, result.stderr
    suffix = {"html": "html", "docx": "docx", "typst": "pdf"}[fmt]
    return root / "_manuscript" / "doc" / f"index.{suffix}"


class Panels(HTMLParser):
    """The layout panels of a page: for each, its rows, each a list of its cells' attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.panels: list[list[list[dict[str, str]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        classes = attributes.get("class", "").split()
        if "quarto-layout-panel" in classes:
            self.panels.append([])
        elif "quarto-layout-row" in classes:
            self.panels[-1].append([])
            self.panels[-1][-1].append(attributes)
        elif "quarto-layout-cell" in classes:
            self.panels[-1][-1].append(attributes)


def panels(html_file: Path) -> list[list[list[dict[str, str]]]]:
    parser = Panels()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return parser.panels


def styles(row: list[dict[str, str]]) -> list[str]:
    return [cell["style"] for cell in row[1:]]


def test_ncol_fills_rows_left_to_right_with_equal_flex_shares(tmp_path: Path) -> None:
    root = make_project(tmp_path, "::: {layout-ncol=2}\n\n" + dots(3) + "Some words.\n\n:::\n")
    [panel] = panels(build(root, "html"))
    assert len(panel) == 2
    assert panel[0][0]["class"] == "quarto-layout-row quarto-layout-valign-top"
    # Images are centred in their cells, text starts at the left, as in Quarto.
    assert styles(panel[0]) == ["flex-basis: 50.0%;justify-content: center;"] * 2
    assert styles(panel[1]) == [
        "flex-basis: 50.0%;justify-content: center;",
        "flex-basis: 50.0%;justify-content: flex-start;",
    ]


def test_nrow_computes_the_columns(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, "::: {layout-nrow=2 layout-valign=bottom}\n\n" + dots(6) + ":::\n"
    )
    [panel] = panels(build(root, "html"))
    assert [len(row) - 1 for row in panel] == [3, 3]
    assert "quarto-layout-valign-bottom" in panel[0][0]["class"]
    assert styles(panel[1])[0] == "flex-basis: 33.3%;justify-content: center;"


def test_layout_widths_are_shares_of_their_row_and_negatives_are_spacers(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        '::: {layout="[[-10,40,40,-10],[1]]" layout-align="right"}\n\n' + dots(4) + ":::\n",
    )
    html_file = build(root, "html")
    [panel] = panels(html_file)
    assert styles(panel[0]) == [
        f"flex-basis: {share}%;justify-content: flex-end;"
        for share in ("10.0", "40.0", "40.0", "10.0")
    ]
    assert "quarto-figure-spacer" in panel[0][1]["class"]
    assert styles(panel[1]) == ["flex-basis: 100.0%;justify-content: flex-end;"]
    assert styles(panel[2]) == styles(panel[1]), "the last row repeats for the blocks left over"


def test_an_image_width_becomes_its_cell_width_and_its_height_goes(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        '::: {layout-ncol=3}\n\n![](dot.svg){width=450 height=450 fig-alt="Dot"}\n\n'
        + dots(2)
        + ":::\n",
    )
    html_file = build(root, "html")
    html = html_file.read_text(encoding="utf-8")
    assert 'height="450"' not in html
    assert re.search(r'<img src="dot.svg"[^>]* width="450" />', html)
    [panel] = panels(html_file)
    assert styles(panel[0]) == ["flex-basis: 33.3%;justify-content: center;"] * 3


def test_a_heading_goes_into_the_next_cell_and_no_empty_block_is_left(tmp_path: Path) -> None:
    root = make_project(tmp_path, ":::{layout-ncol=2}\n\n### Left\n\nTest 1\n\nTest 2\n\n:::\n")
    html = build(root, "html").read_text(encoding="utf-8")
    assert not re.search(r"<div>\s*</div>\s*<div class=\"quarto-layout-panel\"", html)
    # pandoc's --section-divs makes a cell that opens with a heading a <section>.
    assert re.search(
        r'<section id="left" class="level3 quarto-layout-cell"[^>]*>\s*<h3[^>]*>.*?Left</h3>\s*<p>Test 1</p>',
        html,
        re.S,
    )


def test_the_page_style_sets_rows_side_by_side(tmp_path: Path) -> None:
    root = make_project(tmp_path, "::: {layout-ncol=2}\n\nA\n\nB\n\n:::\n")
    html = build(root, "html").read_text(encoding="utf-8")
    assert re.search(r"\.quarto-layout-row \{ display: flex;", html)


def test_docx_layout_is_one_borderless_table_per_row(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        "::: {layout-ncol=2}\n\n**1. Quarto** first.\n\n**2. Others** second.\n\n"
        "**3. Passion** third.\n\n" + dots(1) + ":::\n",
    )
    with zipfile.ZipFile(build(root, "docx")) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S)
    assert len(tables) == 2
    assert "1. Quarto" in tables[0] and "2. Others" in tables[0]
    assert "3. Passion" in tables[1]
    for table in tables:
        assert "Borders" not in table
        assert 'w:firstRow="0"' in table  # no header row, so the style draws no rule
        assert table.count("<w:gridCol ") == 2
    # The image gets its cell's share of the text width, so it stays inside its cell.
    assert re.search(r'<wp:extent cx="2971800" cy="2971800"', tables[1])
    # Word would join touching tables into one: something stands between them.
    assert re.search(r"</w:tbl>\s*<w:p>.*?</w:p>\s*<w:tbl>", xml, re.S)


def word_positions(pdf: Path, words: tuple[str, ...]) -> dict[str, tuple[float, float]]:
    positions: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: object) -> None:
        # Where the text starts on the page: the text matrix's origin through the current matrix.
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        for word in words:
            if word in text and word not in positions:
                positions[word] = (round(x, 1), round(y, 1))

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return positions


def test_typst_layout_puts_cells_side_by_side(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, '::: {layout="[[1,3],[1]]"}\n\nLeftcell\n\nRightcell\n\nBelowcell\n\n:::\n'
    )
    where = word_positions(build(root, "typst"), ("Leftcell", "Rightcell", "Belowcell"))
    (left_x, left_y), (right_x, right_y), (below_x, below_y) = (
        where["Leftcell"],
        where["Rightcell"],
        where["Belowcell"],
    )
    assert left_y == right_y and right_x > left_x
    assert below_y < left_y and below_x == left_x


def test_typst_layout_of_images_builds(tmp_path: Path) -> None:
    root = make_project(tmp_path, "::: {layout-ncol=2}\n\n" + dots(2) + ":::\n")
    assert build(root, "typst").stat().st_size > 1000


def test_a_bad_layout_value_is_an_error_at_its_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, "Text.\n\n::: {layout-ncol=two}\n\nA\n\nB\n\n:::\n")
    result = galley("build", "--to", "html", cwd=root)
    assert result.returncode == 1
    assert (
        'doc/index.qmd:7: layout-ncol="two" is not a whole number of at least 1; write e.g. '
        "layout-ncol=2" in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_a_layout_that_is_not_rows_of_widths_is_an_error_at_its_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, '::: {layout="[[1,1],2]"}\n\nA\n\nB\n\n:::\n')
    result = galley("build", "--to", "docx", cwd=root)
    assert result.returncode == 1
    assert 'doc/index.qmd:5: layout="[[1,1],2]" mixes rows and widths' in result.stderr


def test_a_width_that_is_not_a_size_is_refused_not_written_into_the_page(tmp_path: Path) -> None:
    root = make_project(tmp_path, "::: {layout='[[\"50%;background:red\",1]]'}\n\nA\n\nB\n\n:::\n")
    result = galley("build", "--to", "html", cwd=root)
    assert result.returncode == 1
    assert (
        'doc/index.qmd:5: layout="[["50%;background:red",1]]" has a width that is neither a '
        'number nor a size such as "40%"' in result.stderr
    )
    assert not (root / "_manuscript").exists()


def test_a_cell_width_that_is_not_a_size_is_ignored(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, '::: {layout-ncol=2}\n\n::: {width="1);x("}\nA\n:::\n\nB\n\n:::\n'
    )
    [panel] = panels(build(root, "html"))
    assert styles(panel[0]) == ["flex-basis: 50.0%;justify-content: flex-start;"] * 2


SUBFIGURES = (
    "::: {#fig-elephants layout-ncol=2}\n\n![Surus](dot.svg){#fig-surus}\n\n"
    "![Abbas](dot.svg){#fig-abbas}\n\nFamous elephants\n:::\n\nSee @fig-elephants.\n"
)


def test_subfigures_sit_in_the_cells_of_their_figure(tmp_path: Path) -> None:
    html_file = build(make_project(tmp_path, SUBFIGURES), "html")
    [panel] = panels(html_file)
    [row] = panel
    assert [cell["data-ref-parent"] for cell in row[1:]] == ["fig-elephants"] * 2
    assert all("quarto-layout-cell-subref" in cell["class"] for cell in row[1:])
    html = re.sub(r"\s+", " ", html_file.read_text(encoding="utf-8"))
    figure = html[html.index('<div id="fig-elephants"') :]
    assert figure.index('class="quarto-layout-row') < figure.index('id="fig-surus"')
    assert figure.index('id="fig-abbas"') < figure.index("Famous elephants")


def test_docx_subfigures_are_cells_of_a_row_table(tmp_path: Path) -> None:
    with zipfile.ZipFile(build(make_project(tmp_path, SUBFIGURES), "docx")) as docx:
        body = etree.fromstring(docx.read("word/document.xml"))
    # Each row as the paragraphs of each of its cells, tables nested in a cell included.
    rows = [
        [
            ["".join(p.itertext()) for p in cell.iterfind(".//w:p", W)]
            for cell in row.findall("w:tc", W)
        ]
        for row in body.iterfind(".//w:tr", W)
    ]
    assert any(len(row) == 2 and "(a) Surus" in row[0] and "(b) Abbas" in row[1] for row in rows), (
        rows
    )


def test_typst_subfigures_sit_side_by_side_in_their_figure(tmp_path: Path) -> None:
    pdf = build(make_project(tmp_path, SUBFIGURES), "typst")
    where = word_positions(pdf, ("Surus", "Abbas", "elephants"))
    assert where["Surus"][1] == where["Abbas"][1] and where["Abbas"][0] > where["Surus"][0]
    assert where["elephants"][1] < where["Surus"][1]


def test_typst_reads_widths_in_pixels_as_lengths(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, '::: {layout=\'[["96px","2cm",1]]\'}\n\nAlpha\n\nBeta\n\nGamma\n\n:::\n'
    )
    where = word_positions(build(root, "typst"), ("Alpha", "Beta", "Gamma"))
    # 96px at pandoc's 96 dpi is one inch (72pt), plus the 1em gutter between the columns.
    assert 72 < where["Beta"][0] - where["Alpha"][0] < 90
    assert where["Gamma"][0] - where["Beta"][0] > 2 / 2.54 * 72


def test_a_typst_figure_of_unnumbered_figures_is_written_as_their_parent(tmp_path: Path) -> None:
    # The filters in the engine's order, on a figure whose panels have no float id of their own:
    # Quarto writes such a figure with its arguments before its body (the grid of figures).
    filters = ("floats.lua", "crossref.lua", "layout.lua", "floats-render.lua")
    result = subprocess.run(
        [pandoc_path(), "-t", "typst",
         *[arg for name in filters for arg in ("--lua-filter", str(RESOURCES / name))]],
        input="::: {#fig-panel layout-ncol=2}\n\n![Left](a.png)\n\n![Right](b.png){#bad}\n\nPanels\n:::\n",
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )  # fmt: skip
    typ = result.stdout
    assert re.search(r"#grid\(columns: 2, gutter: 2em,\n  \[\n#block\[\n#figure", typ)
    assert not re.search(r"#figure\(\[\n#grid", typ)
    assert re.search(r"caption: figure.caption\(.*\n?Panels", typ)
