"""Floats and cross-references in the embedded engine, as Quarto writes them: div floats,
sub-floats, the `crossref:` options and section numbers, checked in the real HTML, DOCX and .typ."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import pypdf

from galley.engines.pandoc import RESOURCES
from galley.util.tools import pandoc_path
from tests.conftest import galley
from tests.render.test_crossrefs import make_project


def test_targets_registered_by_other_filters_are_resolved(tmp_path: Path) -> None:
    # Theorem, callout and equation filters record their targets in `galley-xref`; crossref.lua
    # alone is run here, on that metadata, as the engine runs it after those filters.
    meta = {"galley-xref": {"thm-a": {"kind": "thm", "number": "3", "prefix": "theorem"}}}
    (tmp_path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    result = subprocess.run(
        [pandoc_path(), "--metadata-file", str(tmp_path / "meta.json"), "-t", "html",
         "--lua-filter", str(RESOURCES / "crossref.lua")],
        input="See @thm-a, [-@thm-a], @Thm-a and [see @thm-a, p. 2].\n",
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    html = re.sub(r"[ \n]+", " ", result.stdout)
    assert '<a href="#thm-a" class="quarto-xref">theorem&nbsp;3</a>,' in html
    assert '<a href="#thm-a" class="quarto-xref">3</a>' in html
    assert '<a href="#thm-a" class="quarto-xref">Theorem&nbsp;3</a>' in html
    assert 'see <a href="#thm-a" class="quarto-xref">theorem&nbsp;3</a>, p.\u00a02' in html


DOT = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4"/></svg>'
FLOATS = """\
## Results {#sec-results}

See @fig-dots, [-@fig-dots], @fig-b, @tbl-div and @tbl-counts.

::: {#fig-dots}
![First dot](dot.svg){#fig-a fig-alt="One dot"}

![Second dot](dot.svg){#fig-b fig-alt="Another dot"}

Two dots
:::

::: {#tbl-div tbl-cap="A table in a div"}
| x | y |
|---|---|
| 1 | 2 |
:::

| a | b |
|---|---|
| 1 | 2 |

: Counts {#tbl-counts}
"""


def _build(tmp_path: Path, body: str, front: str = "") -> Path:
    root = make_project(tmp_path, body)
    (root / "doc" / "dot.svg").write_text(DOT, encoding="utf-8")
    index = root / "doc" / "index.qmd"
    index.write_text(index.read_text(encoding="utf-8").replace("title: T\n", "title: T\n" + front))
    result = galley("build", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def _html(root: Path) -> str:
    text = (root / "_manuscript/doc/index.html").read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", text)


def _docx(root: Path) -> str:
    with zipfile.ZipFile(root / "_manuscript/doc/index.docx") as docx:
        return docx.read("word/document.xml").decode("utf-8")


def _pdf(root: Path) -> str:
    pages = pypdf.PdfReader(root / "_manuscript/doc/index.pdf").pages
    # Typst keeps the non-breaking spaces; compare them as spaces.
    return "\n".join(page.extract_text() or "" for page in pages).replace("\u00a0", " ")


def test_div_floats_and_sub_floats_are_numbered_in_every_format(tmp_path: Path) -> None:
    root = _build(tmp_path, FLOATS)
    html = _html(root)
    assert re.search(
        r'<div id="fig-dots" class="quarto-float quarto-figure quarto-figure-center anchored">'
        r' <figure class="quarto-float quarto-float-fig figure">',
        html,
    )
    assert re.search(
        r'<figcaption class="quarto-float-caption-bottom quarto-float-caption quarto-float-fig"'
        r"[^>]*> Figure&nbsp;1: Two dots </figcaption>",
        html,
    )
    assert re.search(
        r'<figure class="quarto-float quarto-subfloat-fig figure">.*?'
        r'<figcaption class="quarto-float-caption-bottom quarto-subfloat-caption quarto-subfloat-fig"'
        r"[^>]*> \(b\) Second dot </figcaption>",
        html,
    )
    assert re.search(
        r'<figcaption class="quarto-float-caption-top[^>]*> Table&nbsp;1: A table in a div', html
    )
    assert re.search(
        r'<figcaption class="quarto-float-caption-top[^>]*> Table&nbsp;2: Counts', html
    )
    assert "<caption>" not in html
    for ref in ('"#fig-dots" class="quarto-xref">Figure&nbsp;1<', '"#fig-dots" class="quarto-xref">1<',
                '"#fig-b" class="quarto-xref">Figure&nbsp;1 (b)<', '"#tbl-div" class="quarto-xref">Table&nbsp;1<',
                '"#tbl-counts" class="quarto-xref">Table&nbsp;2<'):  # fmt: skip
        assert ref in html
    docx = _docx(root)
    assert '<w:bookmarkStart w:id="' in docx and 'w:name="fig-dots"' in docx
    assert re.search(r'<w:tbl>.*<w:pStyle w:val="ImageCaption" />.*?<w:t xml:space="preserve">'
                     "Figure\u00a01: Two dots</w:t>", docx)  # fmt: skip
    assert '<w:t xml:space="preserve">(a) First dot</w:t>' in docx
    assert re.search(r'<w:hyperlink w:anchor="fig-b">.*?Figure\u00a01 \(b\)</w:t>', docx)
    pdf = _pdf(root)
    for text in ("See Figure 1, 1, Figure 1 (b), Table 1 and Table 2.", "(a) First dot",
                 "Figure 1: Two dots", "Table 1: A table in a div", "Table 2: Counts"):  # fmt: skip
        assert text in pdf


def test_crossref_options_set_prefixes_titles_labels_and_links(tmp_path: Path) -> None:
    front = (
        "crossref:\n  fig-prefix: Fig.\n  tbl-title: Tab.\n  title-delim: \u2014\n"
        "  fig-labels: alpha a\n  subref-labels: roman i\n  ref-hyperlink: false\n"
    )
    root = _build(tmp_path, FLOATS, front)
    html = _html(root)
    assert "See Fig.&nbsp;a, a, Fig.&nbsp;a (ii), Table&nbsp;1 and Table&nbsp;2." in html
    assert "Figure&nbsp;a\u2014 Two dots" in html
    assert "Tab.&nbsp;2\u2014 Counts" in html
    assert "(ii) Second dot" in html
    assert 'class="quarto-xref"' not in html
    docx = _docx(root)
    assert "See Fig.\u00a0a, a, Fig.\u00a0a (ii)" in docx
    assert "<w:hyperlink" not in docx
    pdf = _pdf(root)
    assert "Figure a\u2014 Two dots" in pdf
    assert "Tab. 2\u2014 Counts" in pdf


def test_sections_number_from_the_top_heading_when_it_is_level_two(tmp_path: Path) -> None:
    body = (
        "## First {#sec-first}\n\nText.\n\n## Second\n\n### Inner {#sec-inner}\n\nSee @sec-inner.\n"
    )
    root = _build(tmp_path, body)
    html = _html(root)
    assert '<h2><span class="header-section-number">1</span> First</h2>' in html
    assert '<h3><span class="header-section-number">2.1</span> Inner</h3>' in html
    assert '"#sec-inner" class="quarto-xref">Section&nbsp;2.1<' in html
    assert '<w:t xml:space="preserve">2.1 Inner</w:t>' in _docx(root)
    pdf = _pdf(root)
    assert "1 First" in pdf and "2.1 Inner" in pdf and "See Section 2.1." in pdf
    assert "0.1" not in pdf


def test_raw_html_table_in_a_table_float_takes_its_caption(tmp_path: Path) -> None:
    raw = "<table><caption>Raw caption.</caption><tr><td>1</td></tr></table>"
    root = _build(tmp_path, f"::: {{#tbl-raw}}\n```{{=html}}\n{raw}\n```\n:::\n\nSee @tbl-raw.\n")
    assert "Table&nbsp;1: Raw caption." in _html(root)
    assert "Table 1: Raw caption." in _pdf(root)


def test_number_offset_depth_and_chapters_agree_in_headings_and_references(tmp_path: Path) -> None:
    front = "number-offset: [3]\nnumber-depth: 1\ncrossref:\n  chapters: true\n"
    body = (
        '# One {#sec-one}\n\n![A](dot.svg){#fig-a fig-alt="a"}\n\n## Deep {#sec-deep}\n\n'
        '# Two\n\n![B](dot.svg){#fig-b fig-alt="b"}\n\nSee @fig-a, @fig-b, @sec-one.\n'
    )
    root = _build(tmp_path, body, front)
    html = _html(root)
    assert '<h1><span class="header-section-number">4</span> One</h1>' in html
    assert "<h2>Deep</h2>" in html
    assert "Figure&nbsp;5.1: B" in html
    assert '"#fig-a" class="quarto-xref">Figure&nbsp;4.1<' in html
    assert '<w:t xml:space="preserve">5 Two</w:t>' in _docx(root)
    pdf = _pdf(root)
    assert (
        "4 One" in pdf
        and "Figure 5.1: B" in pdf
        and "See Figure 4.1, Figure 5.1, Section 4." in pdf
    )


def test_crossref_option_values_are_text_in_every_format(tmp_path: Path) -> None:
    front = 'crossref:\n  fig-prefix: "F#[x]<b>"\n  fig-title: "T#1"\n  title-delim: "*]"\n'
    root = _build(tmp_path, FLOATS, front)
    html = _html(root)
    # Metadata is markdown, as in Quarto: the raw `<b>` is dropped from the text, never written.
    assert "F#[x]&nbsp;1" in html and "<b>" not in html
    assert "T#1&nbsp;1*] Two dots" in html
    pdf = _pdf(root)
    assert "See F#[x] 1, 1," in pdf
    assert "T#1 1*] Two dots" in pdf


def test_list_table_is_a_table_float_with_its_caption_and_widths(tmp_path: Path) -> None:
    body = (
        '::: {#tbl-list .list-table aligns="l,r"}\nCounts by row. {tbl-colwidths=[25,75]}\n\n'
        "* - Name\n  - Count\n\n* - Apples\n  - 3\n:::\n\nSee @tbl-list.\n"
    )
    root = _build(tmp_path, body)
    html = _html(root)
    assert re.search(r'<div id="tbl-list" class="quarto-float[^>]*> <figure [^>]*> <figcaption '
                     r"[^>]*> Table&nbsp;1: Counts by row. </figcaption>", html)  # fmt: skip
    assert (
        '<col style="width: 25%" />' in html and '<th style="text-align: left;">Name</th>' in html
    )
    assert '<td style="text-align: right;">3</td>' in html
    assert "Table 1: Counts by row." in _pdf(root)
    assert "Table\u00a01: Counts by row." in _docx(root)


def test_uncaptioned_table_in_typst_keeps_its_citations(tmp_path: Path) -> None:
    # The table is written as a bare #table(...) with the document's own extensions, so the
    # citation is citeproc's text, not a Typst #cite of a label the PDF does not have.
    root = _build(tmp_path, "| Work | Note |\n|---|---|\n| [@known2020] | *one* |\n")
    assert "(Known, 2020)" in _pdf(root)
