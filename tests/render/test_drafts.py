"""Drafts build, CI stays strict: what Quarto renders with a warning (an unknown citation key as
**key?**, a cross-reference to no label as **?@fig-x**, a link to a missing anchor) is rendered
so in every format, with one warning naming file, line and a close name; `galley check` reports
it as an error and `galley build --strict` fails on it, leaving the previous outputs."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pypdf

from tests.conftest import REPO, galley

QUARTO = """\
project:
  type: manuscript
manuscript:
  article: doc/index.qmd
bibliography: refs.bib
csl: apa.csl
format:
  html: default
  docx: default
  typst: {typst_options}
"""
BIB = "@book{known2020, author = {Known, Ann}, title = {A Book}, publisher = {P}, year = {2020}}\n"
DOT = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4"/></svg>'
FIGURE = '![A dot.](dot.svg){#fig-dot fig-alt="One black dot"}\n'


def make_project(root: Path, body: str, typst_options: str = "default") -> Path:
    """A manuscript with one known entry, one figure `fig-dot` and `body` from line 5 on."""
    (root / "doc").mkdir(parents=True)
    (root / "_quarto.yml").write_text(QUARTO.format(typst_options=typst_options), "utf-8")
    (root / "refs.bib").write_text(BIB, encoding="utf-8")
    (root / "apa.csl").write_bytes((REPO / "apa.csl").read_bytes())
    (root / "doc" / "dot.svg").write_text(DOT, encoding="utf-8")
    article = "---\ntitle: T\n---\n\n" + body + "\n" + FIGURE
    (root / "doc" / "index.qmd").write_text(article, encoding="utf-8")
    return root


def outputs(root: Path) -> dict[str, str]:
    """The text of each output: the HTML's body text, the DOCX's and the PDF's."""
    out = root / "_manuscript" / "doc"
    page = (out / "index.html").read_text(encoding="utf-8")
    with zipfile.ZipFile(out / "index.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    pdf = pypdf.PdfReader(out / "index.pdf")
    pdf_text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    return {
        "html": page,
        "html text": re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page)),
        "docx text": re.sub(r"<[^>]+>", "", xml),
        "pdf text": pdf_text,
    }


MISSING_KEY = (
    "galley: warning: doc/index.qmd:5: citation `@knwn2020` is not in the bibliography "
    "(refs.bib), so it renders as knwn2020?; did you mean `@known2020`? Otherwise add the entry "
    "or fix the key [missing-key]\n"
)


def test_a_missing_key_is_a_warning_with_file_line_and_the_marker_in_every_format(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path, "As shown [@known2020; @knwn2020], and by @knwn2020.\n")
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    assert built.stderr.count("galley: warning:") == 1, built.stderr
    assert MISSING_KEY in built.stderr
    text = outputs(root)
    assert "(Known, 2020; <strong>knwn2020?</strong>)" in text["html"]
    assert "(Known, 2020; knwn2020?)" in text["docx text"]
    # Typst formats the PDF's citations (Quarto's default): the unknown key is the marker there.
    assert "As shown (Known, 2020) knwn2020?, and by knwn2020?." in text["pdf text"]


def test_a_missing_key_is_the_marker_in_a_pdf_cited_by_pandoc(tmp_path: Path) -> None:
    root = make_project(tmp_path, "As shown [@known2020; @knwn2020].\n", "{citeproc: true}")
    built = galley("build", "--to", "typst", cwd=root)
    assert built.returncode == 0, built.stderr
    assert MISSING_KEY in built.stderr
    reader = pypdf.PdfReader(root / "_manuscript/doc/index.pdf")
    assert "As shown (Known, 2020; knwn2020?)." in (reader.pages[0].extract_text() or "")


def test_a_crossref_to_no_label_renders_as_quarto_does_with_a_warning(tmp_path: Path) -> None:
    root = make_project(tmp_path, "See @fig-dott and @fig-dot.\n")
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    assert built.stderr.count("galley: warning:") == 1, built.stderr
    assert (
        "galley: warning: doc/index.qmd:5: cross-reference `@fig-dott` points to no figure, "
        "table or section, so it renders as ?@fig-dott; did you mean `@fig-dot`? Otherwise "
        "define `{#fig-dott}` or fix the label [undefined-crossref]\n"
    ) in built.stderr
    text = outputs(root)
    assert (
        'See <strong>?@fig-dott</strong> and <a href="#fig-dot" class="quarto-xref">'
        in text["html"]
    )
    assert "See ?@fig-dott and Figure\u00a01." in text["docx text"]
    assert "See ?@fig-dott and Figure" in text["pdf text"]


def test_a_link_to_a_missing_anchor_is_a_warning_and_plain_text_in_the_pdf(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path, "# Methods {#sec-methods}\n\nSee [the methods](#sec-method).\n")
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    assert built.stderr.count("galley: warning:") == 1, built.stderr
    assert (
        "galley: warning: doc/index.qmd:7: link to `#sec-method` points to no element of the "
        "document (in the PDF it is plain text); did you mean `#sec-methods`? Otherwise give the "
        "target an id with {#sec-method}, or fix the link [missing-anchor]\n"
    ) in built.stderr
    text = outputs(root)
    assert '<a href="#sec-method">the methods</a>' in text["html"]  # as Quarto leaves it
    assert "See the methods." in text["pdf text"]


def test_strict_fails_on_a_warning_and_leaves_the_previous_outputs(tmp_path: Path) -> None:
    root = make_project(tmp_path, "As shown [@known2020].\n")
    assert galley("build", cwd=root).returncode == 0
    out = root / "_manuscript" / "doc"
    before = {name: (out / name).read_bytes() for name in ("index.html", "index.docx", "index.pdf")}
    article = root / "doc" / "index.qmd"
    article.write_text(article.read_text("utf-8").replace("@known2020", "@knwn2020"), "utf-8")
    strict = galley("build", "--strict", cwd=root)
    assert strict.returncode == 1
    assert MISSING_KEY in strict.stderr
    assert strict.stderr.endswith(
        "galley: error: --strict: the build printed 1 warning(s) above; fix them (the outputs "
        "were not replaced), or build without --strict for a draft\n"
    )
    assert {name: (out / name).read_bytes() for name in before} == before


def test_a_build_with_nothing_to_render_repeats_the_warnings_and_strict_fails(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path, "As shown [@knwn2020].\n")
    assert galley("build", cwd=root).returncode == 0
    again = galley("build", cwd=root)
    assert again.returncode == 0
    assert "galley: up to date" in again.stderr
    assert MISSING_KEY in again.stderr  # the outputs still show knwn2020?
    assert galley("build", "--strict", cwd=root).returncode == 1


def test_strict_fails_on_the_warnings_builds_had_before(tmp_path: Path) -> None:
    root = make_project(tmp_path, "A {{< meta missing >}} value.\n")
    strict = galley("build", "--strict", "--to", "html", cwd=root)
    assert strict.returncode == 1
    assert "galley: warning: doc/index.qmd:5: unknown meta key `missing`" in strict.stderr
    assert not (root / "_manuscript").exists()


def test_check_still_reports_each_as_an_error(tmp_path: Path) -> None:
    body = (
        "# Methods {#sec-methods}\n\nAs shown [@knwn2020], see @fig-dott and [it](#sec-method).\n"
    )
    root = make_project(tmp_path, body)
    checked = galley("check", "--offline", cwd=root)
    assert checked.returncode == 1
    for rule in ("missing-key", "undefined-crossref", "missing-anchor"):
        assert re.search(rf"^  doc/index.qmd:7: error: .*\[{rule}\]$", checked.stdout, re.M)


def test_a_rule_the_project_disables_is_no_warning_in_the_build(tmp_path: Path) -> None:
    root = make_project(tmp_path, "See [the list](#list), an id in raw Typst.\n")
    (root / "pyproject.toml").write_text(
        '[tool.galley.check]\ndisable = ["missing-anchor"]\n', encoding="utf-8"
    )
    strict = galley("build", "--strict", "--to", "html", cwd=root)
    assert strict.returncode == 0, strict.stderr
    assert "warning" not in strict.stderr


def test_a_missing_key_in_the_abstract_is_placed_in_the_front_matter_and_the_pdf_compiles(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path, "@Fig-dott and @fig-dot.\n")
    article = root / "doc" / "index.qmd"
    front = "title: T\nabstract: As in [@absent].\n"
    article.write_text(article.read_text("utf-8").replace("title: T\n", front), "utf-8")
    built = galley("build", "--to", "typst", cwd=root)
    assert built.returncode == 0, built.stderr
    assert (
        "galley: warning: doc/index.qmd:3: citation `@absent` is not in the bibliography "
        "(refs.bib), so it renders as absent?; add the entry or fix the key [missing-key]\n"
        "galley: warning: doc/index.qmd:6: cross-reference `@fig-dott` points to no figure"
    ) in built.stderr
    text = " ".join(
        (page.extract_text() or "")
        for page in pypdf.PdfReader(root / "_manuscript/doc/index.pdf").pages
    )
    assert "As in absent?." in text
    assert "?@fig-dott and Figure" in text  # `@Fig-x` shows `?@fig-x`, as in Quarto


def test_anchors_in_raw_html_or_on_a_code_block_are_anchors_and_the_pdf_compiles(
    tmp_path: Path,
) -> None:
    body = (
        'See [the note](#note) and [the code](#code).\n\n<p id="note">A note.</p>\n\n'
        "```{#code .python}\nx = 1\n```\n"
    )
    root = make_project(tmp_path, body)
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    assert "warning" not in built.stderr
    text = outputs(root)
    assert '<a href="#note">the note</a> and <a href="#code">the code</a>' in text["html"]
    assert "See the note and the code." in text["pdf text"]  # no label there: plain text


def test_a_link_to_a_missing_file_is_a_warning_and_one_to_a_rendered_document_is_not(
    tmp_path: Path,
) -> None:
    body = (
        "See [the data](data/gone.csv) and [the appendix](appendix.html).\n\n"
        '[![A linked dot.](gone.svg){fig-alt="A dot"}](https://example.org/)\n'
    )
    root = make_project(tmp_path, body)
    (root / "doc" / "appendix.qmd").write_text("# Appendix\n", encoding="utf-8")
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 0, built.stderr
    # The linked image is an image that does not exist, said once, not also a link.
    assert built.stderr.count("galley: warning:") == 2, built.stderr
    assert "image `gone.svg` does not exist" in built.stderr
    assert (
        "galley: warning: doc/index.qmd:5: link target `data/gone.csv` does not exist; correct "
        "the path (relative to the article) or add the file to the project [missing-file]\n"
    ) in built.stderr
    assert galley("build", "--to", "html", "--strict", cwd=root).returncode == 1
