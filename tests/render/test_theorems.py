"""Theorems, proofs, remarks and solutions render as Quarto renders them, in HTML, DOCX and the
Typst PDF; theorems are numbered per kind and can be cross-referenced."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pypdf

from galley.engines.pandoc import RESOURCES
from galley.util.tools import pandoc_path
from tests.conftest import galley
from tests.render.test_callouts import build, main_of, pdf_text
from tests.render.test_crossrefs import make_project

THEOREMS = """\
::: {#thm-line}
## Line
Any straight line is *y* = *mx* + *b*.
:::

::: {#lem-a name="Hello, *x*"}
```
code first
```
:::

::: {#thm-two}
Second theorem.
:::

::: {#def-d}
A definition.
:::
"""

PROOFS = """\
::: {.proof}
This is a proof.
:::

::: {.proof name="Of the *main* theorem"}
Named proof body.
:::

::: {.proof}
:::

::: {.remark}
An unnumbered remark.
:::

::: {#rem-r}
A numbered remark.
:::

::: {#sol-s .solution}
A numbered solution.
:::
"""


def test_theorems_are_numbered_per_kind_with_quartos_html(tmp_path: Path) -> None:
    html = main_of(build(make_project(tmp_path, THEOREMS), "html"))
    assert (
        '<div id="thm-line" class="theorem"><p><span class="theorem-title">'
        "<strong>Theorem 1 (Line)</strong></span> Any straight line" in html
    )
    assert "<h2" not in html
    # A theorem that does not open with a paragraph gets one for its title, as in Quarto.
    assert (
        '<div id="lem-a" class="theorem lemma"><p><span class="theorem-title">'
        "<strong>Lemma 1 (Hello, <em>x</em>)</strong></span> \u00a0</p><pre><code>code first"
        in html
    )
    assert "<strong>Theorem 2</strong></span> Second theorem." in html
    assert '<div id="def-d" class="theorem definition">' in html
    assert "<strong>Definition 1</strong>" in html


def test_theorems_in_the_pdf_and_docx(tmp_path: Path) -> None:
    root = make_project(tmp_path, THEOREMS)
    text = pdf_text(build(root, "typst"))
    for expected in (
        "Theorem 1 (Line).",
        "Lemma 1 (Hello, x).",
        "Theorem 2. Second",
        "Definition 1.",
    ):
        assert expected in text
    path = build(root, "docx")
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "Theorem 1 (Line) Any straight line is y = mx + b." in paragraphs
    assert "Theorem 2 Second theorem." in paragraphs
    assert 'w:name="thm-line"' in zipfile.ZipFile(path).read("word/document.xml").decode()


def test_theorem_references_read_the_kind_and_number(tmp_path: Path) -> None:
    root = make_project(tmp_path, THEOREMS + "\nBy @thm-two and [-@lem-a], see @Thm-line.\n")
    html = main_of(build(root, "html"))
    assert '<a href="#thm-two" class="quarto-xref">Theorem\u00a02</a>' in html
    assert '<a href="#lem-a" class="quarto-xref">1</a>' in html
    assert "By Theorem\u00a02 and 1, see Theorem\u00a01." in pdf_text(build(root, "typst"))


def test_proofs_remarks_and_solutions_have_quartos_html(tmp_path: Path) -> None:
    html = main_of(build(make_project(tmp_path, PROOFS), "html"))
    assert (
        '<div class="proof"><p><span class="proof-title"><em>Proof</em>. </span>This is a proof.'
        in html
    )
    assert (
        '<span class="proof-title"><em>Proof</em> (Of the <em>main</em> theorem). </span>'
        "Named proof body." in html
    )
    assert (
        '<div class="proof"><p><span class="proof-title"><em>Proof</em>. </span></p></div>' in html
    )
    assert '<div class="remark proof"><p><span class="proof-title"><em>Remark</em>. </span>' in html
    assert (
        '<div id="rem-r" class="proof remark"><p><span class="proof-title"><em>Remark 1</em>'
        in html
    )
    assert (
        '<div id="sol-s" class="solution proof"><p><span class="proof-title"><em>Solution 1</em>'
        in html
    )


def test_pdf_proofs_end_with_a_tombstone_and_remarks_do_not(tmp_path: Path) -> None:
    text = pdf_text(build(make_project(tmp_path, PROOFS), "typst"))
    assert "Proof. This is a proof. □" in text
    assert "Proof (Of the main theorem). Named proof body. □" in text
    assert "Remark. An unnumbered remark.\n" in text
    assert text.count("□") == 3


def long_body(paragraphs: int) -> str:
    return "\n\n".join(
        f"Paragraph {n}. " + "Text that goes on. " * 60 for n in range(1, paragraphs + 1)
    )


def test_a_long_theorem_and_callout_break_across_pages(tmp_path: Path) -> None:
    body = f"::: {{#thm-long}}\n{long_body(8)}\n:::\n\n::: {{#nte-long .callout-note}}\n{long_body(8)}\n:::\n"
    pages = [
        p.extract_text()
        for p in pypdf.PdfReader(build(make_project(tmp_path, body), "typst")).pages
    ]
    assert "Theorem 1. Paragraph 1." in pages[0]
    assert len(pages) >= 3 and "Paragraph 8." in pages[-1]


def test_a_reference_to_an_undefined_theorem_names_file_line_and_kind(tmp_path: Path) -> None:
    root = make_project(tmp_path, THEOREMS + "\nSee @thm-missing.\n")
    result = galley("build", "--to", "html", cwd=root)
    assert result.returncode == 0, result.stderr
    assert (
        "galley: warning: doc/index.qmd:24: cross-reference `@thm-missing` points to no theorem, "
        "so it renders as ?@thm-missing; define `{#thm-missing}` or fix the label "
        "[undefined-crossref]\n"
    ) in result.stderr


def test_the_document_renames_theorem_titles_and_reference_words(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, "::: {#thm-a}\nFirst.\n:::\n\n::: {#lem-b}\nSecond.\n:::\n\nBy @lem-b.\n"
    )
    index = root / "doc/index.qmd"
    words = "language:\n  crossref-thm-title: Satz\ncrossref:\n  lem-prefix: Hilfssatz\n"
    index.write_text(index.read_text(encoding="utf-8").replace("title: T\n", "title: T\n" + words))
    html = main_of(build(root, "html"))
    assert "<strong>Satz 1</strong></span> First." in html
    assert '<a href="#lem-b" class="quarto-xref">Hilfssatz\u00a01</a>' in html
    text = pdf_text(build(root, "typst"))
    assert "Satz 1. First." in text and "By Hilfssatz\u00a01." in text


def test_renamed_kinds_are_redefined_in_the_templates_order_in_every_run() -> None:
    # Lua's `pairs` order changes from one run to the next: the .typ must not.
    markdown = (
        "---\nlanguage:\n  crossref-exr-title: Übung\n  crossref-thm-title: Satz\n"
        "  crossref-def-title: Begriff\n---\n\nText.\n"
    )
    command = [pandoc_path(), "--from", "markdown", "--to", "typst"]
    command += ["--lua-filter", str(RESOURCES / "theorem.lua")]
    for _ in range(3):
        typ = subprocess.run(
            command, input=markdown, capture_output=True, text=True, check=True
        ).stdout
        renamed = re.findall(r"#let (\w+) = galley-theorem", typ)
        assert renamed == ["theorem", "definition", "exercise"]
