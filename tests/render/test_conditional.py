"""Conditional content (`.content-visible` / `.content-hidden`) in the three real outputs."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import galley
from tests.render.fixtures import docx_xml, html, pdf_text, write_project

BY_FORMAT = "".join(
    f'::: {{.content-visible when-format="{name}"}}\nOnly in {label}.\n:::\n\n'
    for name, label in (("html", "HTML"), ("docx", "DOCX"), ("typst", "TYPST"), ("pdf", "LATEX"))
)


def test_each_format_keeps_only_its_own_content(tmp_path: Path) -> None:
    body = BY_FORMAT + '::: {.content-hidden unless-format="html"}\nHidden unless HTML.\n:::\n'
    root = write_project(tmp_path, "title: T\n", body, "html docx typst")
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    page, word, pdf = html(root), docx_xml(root), pdf_text(root)
    assert "Only in HTML." in page and "Hidden unless HTML." in page
    assert "Only in DOCX." in word and "Hidden unless HTML." not in word
    assert "Only in TYPST." in pdf and "Hidden unless HTML." not in pdf
    for other in ("DOCX", "TYPST", "LATEX"):
        assert f"Only in {other}." not in page
    for other in ("HTML", "TYPST", "LATEX"):
        assert f"Only in {other}." not in word
    for other in ("HTML", "DOCX", "LATEX"):
        assert f"Only in {other}." not in pdf


def test_when_meta_reads_dotted_boolean_settings(tmp_path: Path) -> None:
    front = "title: T\nshow: true\npath:\n  to:\n    off: false\nword: yes-as-text\n"
    body = (
        '::: {.content-visible when-meta="show"}\n[a]{#shown-flag}\n:::\n\n'
        '::: {.content-visible unless-meta="path.to.off"}\n[b]{#shown-unless}\n:::\n\n'
        '::: {.content-hidden when-meta="show"}\n[c]{#hidden-flag}\n:::\n\n'
        '::: {.content-visible when-meta="word"}\n[d]{#text-is-not-true}\n:::\n\n'
        '::: {.content-visible when-meta="no.such.key"}\n[e]{#missing}\n:::\n'
    )
    root = write_project(tmp_path, front, body)
    assert galley("build", "--to", "html", cwd=root).returncode == 0
    page = html(root)
    assert 'id="shown-flag"' in page and 'id="shown-unless"' in page
    for absent in ("hidden-flag", "text-is-not-true", "missing"):
        assert f'id="{absent}"' not in page


def test_spans_code_and_nested_divs_keep_their_own_marks_only(tmp_path: Path) -> None:
    body = (
        '[[kept]{.be-here}]{.content-visible when-format="html"} '
        '[gone]{.content-hidden when-format="html"}\n\n'
        '```{.python .content-visible when-format="html"}\nprint(1)\n```\n\n'
        '::: {.content-visible when-format="html"}\n\nouter\n\n'
        '::: {.content-hidden when-format="html"}\ninner hidden\n:::\n\n'
        '::: {#kept-div .note .content-visible when-format="html"}\ninner shown\n:::\n\n:::\n'
    )
    root = write_project(tmp_path, "title: T\n", body)
    assert galley("build", "--to", "html", cwd=root).returncode == 0
    page = html(root)
    assert '<span><span class="be-here">kept</span></span>' in page
    assert "gone" not in page and "inner hidden" not in page
    assert "print" in page and "content-visible" not in page and "when-format" not in page
    assert '<div id="kept-div" class="note">\n<p>inner shown</p>\n</div>' in page


def test_a_reference_to_hidden_content_renders_visibly_with_a_warning(tmp_path: Path) -> None:
    body = (
        "See @tbl-only-docx.\n\n"
        '::: {.content-visible when-format="docx"}\n| a |\n|---|\n| 1 |\n\n: Counts {#tbl-only-docx}\n:::\n'
    )
    root = write_project(tmp_path, "title: T\n", body, "html docx")
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    assert (
        "galley: warning: doc/index.qmd:5: cross-reference `@tbl-only-docx` points to content "
        "hidden in this format; it renders as ?@tbl-only-docx\n"
    ) in built.stderr
    assert "See <strong>?@tbl-only-docx</strong>." in html(root)
    word = docx_xml(root)
    assert "Counts" in word and "?@tbl-only-docx" not in word  # shown and resolved in Word
