"""The Typst source pandoc writes for the PDF, as Quarto writes it: image paths as the author
wrote them (relative to the article), and a figure's description on the figure rather than
twice. Real pandoc runs the real filters, in the engine's order, on real image files; the PDFs
they make are read in tests/reader/test_pdf_page.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image

from galley.engines.pandoc import RESOURCES
from galley.util.tools import pandoc_path
from tests.render.fixtures import listed_files

FILTERS = (
    "local-files.lua",
    "floats.lua",
    "crossref.lua",
    "typst-alt.lua",
    "floats-render.lua",
)


def typst(folder: Path, markdown: str, images: list[str]) -> str:
    """The Typst pandoc writes for `markdown` in `folder`, with `images` the project's files."""
    command = [pandoc_path(), "-t", "typst"]
    for name in FILTERS:
        command += ["--lua-filter", str(RESOURCES / name)]
    return subprocess.run(
        command,
        input=markdown,
        cwd=folder,
        env=listed_files(folder, images),
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_image_paths_stay_relative_to_the_article_as_written(tmp_path: Path) -> None:
    paper = tmp_path / "paper"
    (paper / "img").mkdir(parents=True)
    (tmp_path / "figures").mkdir()
    Image.new("L", (40, 30)).save(paper / "img" / "surus.jpg")
    Image.new("L", (40, 30)).save(tmp_path / "figures" / "plot.png")
    written = typst(
        paper,
        "[![The figure](img/surus.jpg){#fig-foo}](https://www.example.com/)\n\n"
        "![Plot](../figures/plot.png){#fig-plot}\n\nInline ![a dot](img/surus.jpg) here.\n",
        ["img/surus.jpg", "../figures/plot.png"],
    )
    linked = '#link("https://www.example.com/")[#box(image("img/surus.jpg", alt: "The figure"'
    assert linked in written
    assert 'image("../figures/plot.png")' in written
    assert '#box(image("img/surus.jpg", alt: "a dot"))' in written
    assert 'image("/' not in written


def test_a_figure_carries_its_caption_as_alt_text_and_its_image_none(tmp_path: Path) -> None:
    Image.new("L", (40, 30)).save(tmp_path / "surus.jpg")
    written = typst(
        tmp_path,
        "![A simple figure](surus.jpg){#fig-simple}\n\n"
        '![Shown](surus.jpg){#fig-described fig-alt="An elephant"}\n',
        ["surus.jpg"],
    )
    assert '#image("surus.jpg")' in written
    assert 'alt: "A simple figure", kind: "quarto-float-fig"' in written
    # An explicit fig-alt says more than the caption: it stays on the image.
    assert 'image("surus.jpg", alt: "An elephant")' in written
