"""Which floats the PDF floats is decided before Typst runs, from their content: Typst measures
only a float whose size the filter cannot tell. (A measured float is laid out again in every
layout pass: at book size it was a third of the PDF's memory.) The PDF outcomes (a tall table
floats to the next page, a table longer than a page breaks) are in tests/reader/test_pdf_floats.py.

Real pandoc runs the real filters, in the engine's order, on real image files."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image

from galley.engines.pandoc import RESOURCES
from galley.util.tools import pandoc_path
from tests.render.fixtures import listed_files

# A4 with galley's margins, in points, as typst_values.py computes it with Typst.
A4_TEXT_AREA = "453.54 700.16"
FILTERS = ("local-files.lua", "floats.lua", "crossref.lua", "typst-floats.lua", "floats-render.lua")
FLOATED = "#place(auto, float: true)["
IN_TEXT = "#[#show figure: set block(breakable: true);"
MEASURED = "#galley-float["


def typst_floats(folder: Path, markdown: str) -> list[str]:
    """What each float's `#figure` is wrapped in, in the Typst pandoc writes, in order; the
    images in `folder` are the project's files."""
    command = [pandoc_path(), "-t", "typst", "-M", f"galley-typst-text-area={A4_TEXT_AREA}"]
    for name in FILTERS:
        command += ["--lua-filter", str(RESOURCES / name)]
    images = listed_files(folder, [path.name for path in folder.glob("*.png")])
    written = subprocess.run(
        command, input=markdown, cwd=folder, env=images, capture_output=True, text=True, check=True
    ).stdout
    return [line.split("#figure(")[0] for line in written.splitlines() if "#figure(" in line]


def image_float(name: str) -> str:
    return f"::: {{#fig-{name}}}\n![]({name}.png)\n\nThe {name} image\n:::\n\n"


def table_float(name: str, rows: list[str]) -> str:
    body = "".join(f"| {row} | x |\n" for row in rows)
    return f"::: {{#tbl-{name}}}\n| a | b |\n|---|---|\n{body}\nThe {name} table\n:::\n\n"


def test_floats_whose_size_the_filter_can_tell_are_not_measured(tmp_path: Path) -> None:
    for name, size in {"wide": (400, 200), "tall": (100, 400), "near": (100, 150)}.items():
        Image.new("L", size).save(tmp_path / f"{name}.png")
    markdown = (
        image_float("wide")  # 227 pt high at the text's width: floats
        + image_float("tall")  # four times as high as wide: taller than any page
        + image_float("near")  # 680 pt: with its caption, about the page's height: measured
        + table_float("short", ["one", "two", "three"])
        + table_float("long", [f"row {n}" for n in range(200)])
    )
    assert typst_floats(tmp_path, markdown) == [FLOATED, IN_TEXT, MEASURED, FLOATED, IN_TEXT]


def test_a_float_of_other_content_is_measured_by_typst(tmp_path: Path) -> None:
    grid = "::: {#fig-two layout-ncol=2}\n![](a.png)\n\n![](b.png)\n\nTwo images\n:::\n\n"
    for name in ("a", "b"):
        Image.new("L", (200, 100)).save(tmp_path / f"{name}.png")
    listed = (
        "::: {#tbl-listed}\n+-------+\n| a     |\n+=======+\n| - one |\n+-------+\n\n"
        "A list in a cell\n:::\n"
    )
    missing = "::: {#fig-missing}\n![](missing.png)\n\nNo such file\n:::\n\n"
    pictured = "::: {#tbl-pictured}\n| a |\n|---|\n| ![](a.png) |\n\nAn image in a cell\n:::\n\n"
    assert typst_floats(tmp_path, grid + missing + pictured + listed) == [MEASURED] * 4


def test_wide_characters_count_double_in_a_captions_height(tmp_path: Path) -> None:
    # A 590 pt image: with 300 Latin characters of caption (4 lines) it surely fits; with 300
    # Chinese ones, each as wide as two Latin ones (7 lines), it is measured.
    Image.new("L", (100, 130)).save(tmp_path / "photo.png")
    latin = "::: {#fig-latin}\n![](photo.png)\n\n" + "word " * 60 + "\n:::\n\n"
    chinese = "::: {#fig-chinese}\n![](photo.png)\n\n" + "汉字" * 150 + "\n:::\n\n"
    assert typst_floats(tmp_path, latin + chinese) == [FLOATED, MEASURED]
