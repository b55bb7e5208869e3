"""Callout blocks render as Quarto renders them, in HTML, DOCX and the Typst PDF; numbered callouts
(`#nte-x`…) are counted per kind and can be cross-referenced."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pypdf
from docx.table import Table

from galley.reading.citations import scan_citations
from tests.conftest import galley
from tests.render.test_crossrefs import make_project

CALLOUTS = """\
::: {#nte-a .callout-note}
## Heading *title*
Body one.
:::

::: {.callout-tip title="Given *title*" collapse="true"}
Body two.
:::

::: {#tip-b .callout-tip icon=false}
Untitled tip.
:::

::: {#nte-c .callout-note appearance="simple"}
Second note.
:::

::: {.callout-warning}
Default title.
:::

::: {.callout-caution appearance="minimal" collapse="false"}
## Minimal
Open body.
:::
"""


EXTENSIONS = {"html": "html", "docx": "docx", "typst": "pdf"}


def build(root: Path, fmt: str) -> Path:
    result = galley("build", "--to", fmt, cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "_manuscript/doc" / f"index.{EXTENSIONS[fmt]}"


def main_of(path: Path) -> str:
    """The page's <main>, without the line breaks pandoc puts between elements (and `&nbsp;`
    as the character it stands for)."""
    page = path.read_text(encoding="utf-8").replace("\n", "").replace("&nbsp;", "\u00a0")
    return page.split("<main")[1].split("</main>")[0]


def html_of(tmp_path: Path, body: str) -> str:
    return main_of(build(make_project(tmp_path, body), "html"))


def pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def cell_text(table: Table, row: int = 0) -> str:
    """A one-column table's cell text, without the empty paragraph that closes every cell."""
    return str(table.cell(row, 0).text).strip()


def callout_divs(html: str) -> list[str]:
    return re.findall(r'<div (?:id="[^"]*" )?class="callout [^"]*"', html)


def test_callouts_have_quartos_html_structure(tmp_path: Path) -> None:
    html = html_of(tmp_path, CALLOUTS)
    assert callout_divs(html) == [
        '<div id="nte-a" class="callout callout-style-default callout-note callout-titled"',
        '<div class="callout callout-style-default callout-tip callout-titled"',
        '<div id="tip-b" class="callout callout-style-default callout-tip no-icon callout-titled"',
        '<div id="nte-c" class="callout callout-style-simple callout-note callout-titled"',
        '<div class="callout callout-style-default callout-warning callout-titled"',
        '<div class="callout callout-style-simple callout-caution no-icon callout-titled"',
    ]
    # The heading became the title; numbered callouts read "Note 1: …", counted per kind.
    assert (
        '<div class="callout-header d-flex align-content-center">'
        '<div class="callout-icon-container"><i class="callout-icon" aria-hidden="true"></i></div>'
        '<div class="callout-title-container flex-fill">Note\u00a01: Heading <em>title</em></div>'
        "</div>" in html
    )
    assert "<h2" not in html
    assert "Tip\u00a01</div>" in html and "Note\u00a02</div>" in html
    assert '<div class="callout-body-container callout-body">' in html
    # An unnumbered titled callout names its type for screen readers; a default one is titled.
    assert '<span class="screen-reader-only">Tip</span>Given <em>title</em>' in html
    assert '<div class="callout-title-container flex-fill">Warning</div>' in html


def test_collapse_is_a_details_element_closed_only_when_asked(tmp_path: Path) -> None:
    html = html_of(tmp_path, CALLOUTS)
    details = re.findall(r"<details[^>]*>", html)
    assert details == [
        '<details class="callout-details">',
        '<details class="callout-details" open>',
    ]
    assert 'class="callout-1-contents callout-collapse collapse"' in html
    assert 'class="callout-2-contents callout-collapse collapse show"' in html
    assert "<script" not in html


def test_untitled_simple_callout_is_body_only(tmp_path: Path) -> None:
    html = html_of(tmp_path, '::: {.callout-important appearance="simple"}\nJust a body.\n:::\n')
    assert '<div class="callout callout-style-simple callout-important">' in html
    assert '<div class="callout-body d-flex"><div class="callout-icon-container">' in html
    assert "callout-header" not in html


def test_raw_html_in_a_title_attribute_is_text(tmp_path: Path) -> None:
    html = html_of(tmp_path, '::: {.callout-note title="<b onclick=x>Hi</b>"}\nBody.\n:::\n')
    assert "<b onclick" not in html
    assert "&lt;b onclick=x&gt;Hi&lt;/b&gt;" in html


def test_icons_are_inline_and_fetch_nothing(tmp_path: Path) -> None:
    page = build(make_project(tmp_path, CALLOUTS), "html").read_text(encoding="utf-8")
    style = page.split("<style>")[1].split("</style>")[0]
    urls = re.findall(r"url\(([^)]*)\)", style)
    assert urls and all(u.startswith('"data:image/svg+xml,') for u in urls)
    assert "prefers-color-scheme: dark" in style and ".callout-note" in style


def test_nested_callouts_render_in_every_format(tmp_path: Path) -> None:
    body = (
        "::: {#nte-outer .callout-note}\n## Outer\nOuter body.\n\n"
        "::: {.callout-warning}\n## Inner\nInner body.\n:::\n:::\n\n"
        "::: {.callout-tip}\nNext tip.\n:::\n"
    )
    root = make_project(tmp_path, body)
    html = main_of(build(root, "html"))
    outer = html.index('id="nte-outer"')
    assert outer < html.index("callout-warning") < html.index("Inner body.")
    document = docx.Document(str(build(root, "docx")))
    [outer_table, tip_table] = document.tables
    assert [cell_text(t) for t in outer_table.cell(1, 0).tables] == ["Inner"]
    assert (cell_text(outer_table), cell_text(tip_table)) == ("Note\u00a01: Outer", "Tip")
    pdf = pdf_text(build(root, "typst"))
    for text in ("Note\u00a01: Outer", "Outer body.", "Inner", "Inner body.", "Tip", "Next tip."):
        assert text in pdf


def test_docx_callout_is_a_framed_table_with_a_shaded_title_row(tmp_path: Path) -> None:
    path = build(make_project(tmp_path, CALLOUTS), "docx")
    document = docx.Document(str(path))
    titles = [cell_text(t) for t in document.tables]
    assert titles == [
        "Note\u00a01: Heading title", "Given title", "Tip\u00a01", "Note\u00a02", "Warning", "Minimal"
    ]  # fmt: skip
    assert cell_text(document.tables[0], row=1) == "Body one."
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert '<w:left w:val="single" w:sz="24" w:space="0" w:color="0758E5" />' in xml
    assert '<w:shd w:val="clear" w:color="auto" w:fill="dae6fb" />' in xml
    # The simple appearance keeps only the coloured rule on the left, without shading.
    simple = document.tables[3]._tbl.xml
    assert '<w:top w:val="nil"' in simple and 'w:fill="auto"' in simple
    assert '<w:bookmarkStart w:id="' in xml and 'w:name="nte-a"' in xml


def test_pdf_callouts_show_titles_and_bodies(tmp_path: Path) -> None:
    path = build(make_project(tmp_path, CALLOUTS), "typst")
    text = pdf_text(path)
    for expected in ("Note\u00a01: Heading title", "Body one.", "Given title", "Tip\u00a01"):
        assert expected in text
    assert "Warning" in text and "Default title." in text and "[" not in text


def test_callout_references_read_the_kind_and_number(tmp_path: Path) -> None:
    root = make_project(tmp_path, CALLOUTS + "\nSee @nte-c and @tip-b.\n")
    html = main_of(build(root, "html"))
    assert '<a href="#nte-c" class="quarto-xref">Note\u00a02</a>' in html
    assert '<a href="#tip-b" class="quarto-xref">Tip\u00a01</a>' in html
    assert "See Note\u00a02 and Tip\u00a01." in pdf_text(build(root, "typst"))


def test_language_renames_callout_titles_and_reference_prefixes(tmp_path: Path) -> None:
    root = make_project(tmp_path, "::: {#tip-a .callout-tip}\nText.\n:::\n\nSee @tip-a.\n")
    index = root / "doc/index.qmd"
    index.write_text(
        index.read_text(encoding="utf-8").replace(
            "title: T\n",
            "title: T\nlanguage:\n  callout-tip-title: Hint\n  crossref-tip-prefix: Advice\n",
        ),
        encoding="utf-8",
    )
    html = main_of(build(root, "html"))
    assert '<div class="callout-title-container flex-fill">Hint\u00a01</div>' in html
    assert '<a href="#tip-a" class="quarto-xref">Advice\u00a01</a>' in html


def test_callout_kinds_are_crossrefs_for_the_checker() -> None:
    refs = scan_citations("See @nte-a, @tip-b, @wrn-c, @imp-d, @cau-e, @thm-f and [@key].")
    assert [r.kind for r in refs] == ["crossref"] * 6 + ["citation"]


def test_document_options_set_every_callouts_appearance_and_icon(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, "::: {.callout-tip}\nA.\n:::\n\n::: {.callout-note appearance=default}\nB.\n:::\n"
    )
    index = root / "doc/index.qmd"
    text = index.read_text(encoding="utf-8")
    index.write_text(
        text.replace("title: T\n", "title: T\ncallout-appearance: simple\ncallout-icon: false\n")
    )
    assert callout_divs(main_of(build(root, "html"))) == [
        '<div class="callout callout-style-simple callout-tip no-icon"',
        '<div class="callout callout-style-default callout-note no-icon callout-titled"',
    ]


def test_a_reference_word_with_quotes_is_a_typst_string(tmp_path: Path) -> None:
    root = make_project(tmp_path, "::: {#tip-a .callout-tip}\nText.\n:::\n")
    index = root / "doc/index.qmd"
    prefix = "language:\n  crossref-tip-prefix: 'Say \"tip\" \\\\ ] #x'\n"
    index.write_text(index.read_text(encoding="utf-8").replace("title: T\n", "title: T\n" + prefix))
    assert "Tip\u00a01" in pdf_text(build(root, "typst"))
