"""The PDF's page as journals set it, read from real builds (pandoc, Typst, pypdf): the e-mail
line, the running head, the title block ahead of every float, one colour for every
cross-reference, a plain callout without a made-up title, and Typst's own reference list under
the author's heading. The article looks like the quarto-journals templates' ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pypdf import PageObject, PdfReader
from pypdf.generic import IndirectObject

from tests.hardening.conftest import run
from tests.reader.test_pdf_floats import text_runs

LONG_TITLE = (
    "Reproducible workflows for open environmental data science: lessons learned from five "
    "years of ocean health index assessments and practices"
)
AUTHORS = """\
author:
  - name: Lars Thorsen
    email: larst@example.org
    affiliations:
      - name: University of Oslo
  - name: Maria Okafor
    affiliations:
      - name: University of Lagos
  - name: Jamie Robinson
    affiliations:
      - name: University of Oslo
  - name: Casey Palmer
    email: cpalmer@example.edu
    corresponding: true
    affiliations:
      - name: NCEAS
"""
FILLER = "Open tools let teams repeat an analysis every year, from the data to the figures. " * 30
BIB = """\
@article{lowndes2017,
  author = {Lowndes, Julia S. Stewart and Best, Benjamin D.},
  title = {Our path to better science in less time},
  journal = {Nature Ecology and Evolution},
  year = {2017}
}
"""
# A bar chart's worth of PNG: 400 x 250 pixels of one grey (Typst embeds equal images once).
PNG_SIZE = (400, 250)


def quarto_yml(typst: str = "typst: default") -> str:
    return (
        "project:\n  type: manuscript\n  output-dir: _manuscript\n\n"
        "manuscript:\n  article: index.qmd\n\nbibliography: refs.bib\n\n"
        f"format:\n  {typst}\n"
    )


def article(front: str, body: str) -> str:
    return f'---\ntitle: "{LONG_TITLE}"\n{front}---\n\n{body}'


def build(tiny: Callable[..., Path], files: dict[str, str | bytes], *args: str) -> Path:
    root = tiny({"_quarto.yml": quarto_yml(), "refs.bib": BIB, **files})
    result = run("build", *args, cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def png(grey: int = 128) -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("L", PNG_SIZE, grey).save(buffer, format="PNG")
    return buffer.getvalue()


def pages(root: Path) -> list[PageObject]:
    return list(PdfReader(root / "_manuscript" / "index.pdf").pages)


def header_runs(page: PageObject) -> list[tuple[str, float]]:
    """The page's text runs above its text area (2.5 cm from the top): the running head."""
    top = float(page.mediabox.height) - 2.5 / 2.54 * 72
    return [(text, y) for text, y in text_runs(page) if y > top]


def test_the_email_line_lists_only_the_emails_there_are(tiny: Callable[..., Path]) -> None:
    root = build(tiny, {"index.qmd": article(AUTHORS, "Some text.\n")})
    first = pages(root)[0].extract_text()
    assert "larst@example.org · cpalmer@example.edu" in first
    assert "· ·" not in first


def test_the_running_head_is_the_short_title_and_the_authors_as_journals_name_them(
    tiny: Callable[..., Path],
) -> None:
    front = AUTHORS + 'short-title: "Reproducible open data science"\n'
    root = build(tiny, {"index.qmd": article(front, FILLER + "\n\n" + FILLER + "\n")})
    first, second = pages(root)[:2]
    assert header_runs(first) == []  # the title page has none
    assert [text for text, _ in header_runs(second)] == [
        "Reproducible open data science",
        "Thorsen et al.",
    ]


def test_a_long_title_is_cut_at_a_word_to_fit_beside_the_authors(
    tiny: Callable[..., Path],
) -> None:
    two = AUTHORS.split("  - name: Maria Okafor")[0] + "  - name: Casey Palmer\n"
    root = build(tiny, {"index.qmd": article(two, FILLER + "\n\n" + FILLER + "\n")})
    head = header_runs(pages(root)[1])
    assert len({round(y) for _, y in head}) == 1, head  # one line: nothing wrapped or overlaid
    title, authors = (text for text, _ in head)
    assert authors == "Thorsen & Palmer"
    assert title.endswith("…") and LONG_TITLE.startswith(title[:-1].rstrip(" :,"))
    assert len(title) < len(LONG_TITLE)


def test_a_figure_early_in_the_text_floats_below_the_title_block_and_abstract(
    tiny: Callable[..., Path],
) -> None:
    body = '# Introduction\n\n![Assessments per year.](bars.png){#fig-bars fig-alt="Bars"}\n\n'
    body += "See @fig-bars. " + FILLER + "\n"
    front = AUTHORS + "abstract: We describe five years of assessments.\n"
    root = build(tiny, {"index.qmd": article(front, body), "bars.png": png()})
    runs = text_runs(pages(root)[0])
    height = {text: y for text, y in runs}
    assert max(y for _, y in runs) == height["Reproducible workflows for open environmental data"]
    caption = next(y for text, y in runs if text.startswith("Figure\xa01:"))
    assert caption < height["Abstract."]


def fill_colours(page: PageObject) -> dict[str, tuple[float, ...]]:
    """Each text run of the page with the fill colour it is drawn in."""
    colour: list[tuple[float, ...]] = [()]
    runs: dict[str, tuple[float, ...]] = {}

    def before(op: bytes, args: list[object], *_: object) -> None:
        if op in (b"rg", b"sc", b"scn", b"g"):
            colour[0] = tuple(round(float(a), 3) for a in args if isinstance(a, float | int))

    def visit(text: str, *_: object) -> None:
        if text.strip():
            runs[" ".join(text.split())] = colour[0]  # "Figure\xa01" as "Figure 1"

    page.extract_text(visitor_operand_before=before, visitor_text=visit)
    return runs


def test_every_cross_reference_is_drawn_in_the_link_colour(tiny: Callable[..., Path]) -> None:
    body = (
        "# Introduction\n\nSee @fig-bars, @tbl-counts, @sec-methods and @eq-growth.\n\n"
        '![Bars.](bars.png){#fig-bars fig-alt="Bars"}\n\n'
        "| Year | Count |\n|------|------:|\n| 2012 | 1 |\n\n: Counts. {#tbl-counts}\n\n"
        "# Methods {#sec-methods}\n\n$$ y = a $$ {#eq-growth}\n"
    )
    root = build(tiny, {"index.qmd": article("", body), "bars.png": png()})
    colours = fill_colours(pages(root)[0])
    references = [colours[name] for name in ("Figure 1", "Table 1", "Section 2", "Equation 1")]
    assert len(set(references)) == 1
    assert references[0] != colours["See"]  # not the text's colour


def test_a_plain_callout_has_no_title_in_any_format(tiny: Callable[..., Path]) -> None:
    body = (
        '::: callout\nA plain callout.\n:::\n\n::: {.callout appearance="default"}\nAnother.\n:::\n'
    )
    root = tiny(
        {
            "_quarto.yml": quarto_yml("html: default\n  docx: default\n  typst: default"),
            "refs.bib": BIB,
            "index.qmd": article("", body),
        }
    )
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    out = root / "_manuscript"
    assert "A plain callout." in pages(root)[0].extract_text()
    assert "None" not in pages(root)[0].extract_text()
    assert "None" not in (out / "index.html").read_text(encoding="utf-8")
    from zipfile import ZipFile

    with ZipFile(out / "index.docx") as docx:
        assert "None" not in docx.read("word/document.xml").decode("utf-8")


def test_typsts_reference_list_goes_under_the_authors_references_heading(
    tiny: Callable[..., Path],
) -> None:
    body = "As shown [@lowndes2017].\n\n# References {.unnumbered}\n\n::: {#refs}\n:::\n\n# Appendix\n\nLast.\n"
    root = build(tiny, {"index.qmd": article("", body)})
    text = " ".join(page.extract_text() for page in pages(root))
    assert "Bibliography" not in text
    references = text.index("References")
    assert references < text.index("Our path to better science") < text.index("Appendix")


def test_a_pdf_image_path_is_written_as_the_author_wrote_it_and_found_from_a_subfolder(
    tiny: Callable[..., Path],
) -> None:
    body = (
        '![One.](../figures/one.png){#fig-one fig-alt="One"}\n\n'
        '![Two.](<img/two bars.png>){#fig-two fig-alt="Two"}\n'
    )
    files = {
        "_quarto.yml": quarto_yml().replace("article: index.qmd", "article: paper/index.qmd"),
        "refs.bib": BIB,
        "paper/index.qmd": article("", body),
        "figures/one.png": png(),
        "paper/img/two bars.png": png(200),
    }
    root = tiny(files)
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    reader = PdfReader(root / "_manuscript" / "paper" / "index.pdf")
    images = [
        name
        for page in reader.pages
        for name, image in page["/Resources"].get("/XObject", {}).items()
        if isinstance(image, IndirectObject) and image.get_object()["/Subtype"] == "/Image"
    ]
    assert len(images) == 2


def test_typst_prints_no_reference_heading_when_nothing_is_cited(
    tiny: Callable[..., Path],
) -> None:
    root = build(tiny, {"index.qmd": article("", "Nothing cited here.\n")})
    assert "Bibliography" not in pages(root)[0].extract_text()
