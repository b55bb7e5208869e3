"""Cross-references are numbered and linked as Quarto does; an unresolved one renders as Quarto's
bold `?@fig-x` with a warning naming file and line, never a silent "??"."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import galley

QUARTO = """\
project:
  type: manuscript
manuscript:
  article: doc/index.qmd
bibliography: refs.bib
csl: apa.csl
number-sections: true
format:
  html: default
  typst: default
  docx: default
"""
BIB = "@book{known2020, author = {Known, Ann}, title = {A Book}, publisher = {P}, year = {2020}}\n"


def make_project(root: Path, body: str, include: str | None = None) -> Path:
    (root / "doc").mkdir(parents=True)
    (root / "_quarto.yml").write_text(QUARTO, encoding="utf-8")
    (root / "refs.bib").write_text(BIB, encoding="utf-8")
    (root / "doc" / "index.qmd").write_text("---\ntitle: T\n---\n\n" + body, encoding="utf-8")
    if include is not None:
        (root / "doc" / "part.qmd").write_text(include, encoding="utf-8")
    return root


TABLE = "| a | b |\n|---|---|\n| 1 | 2 |\n\n: Counts {#tbl-counts}\n"


def test_crossrefs_are_numbered_and_linked(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        "# One {#sec-one}\n\nSee @tbl-counts, [-@tbl-counts] and @sec-two [@known2020].\n\n"
        + TABLE
        + "\n# Two {#sec-two}\n\n## Two point one {#sec-sub}\n\nBack to @sec-sub.\n",
    )
    result = galley("build", "--to", "html", cwd=root)
    assert result.returncode == 0, result.stderr
    html = re.sub(r"[ \n]+", " ", (root / "_manuscript/doc/index.html").read_text(encoding="utf-8"))
    assert '<a href="#tbl-counts" class="quarto-xref">Table&nbsp;1</a>' in html
    assert '<a href="#tbl-counts" class="quarto-xref">1</a>' in html
    assert '<a href="#sec-two" class="quarto-xref">Section&nbsp;2</a>' in html
    assert '<a href="#sec-sub" class="quarto-xref">Section&nbsp;2.1</a>' in html
    assert re.search(
        r'<figcaption class="quarto-float-caption-top[^>]*> Table&nbsp;1: Counts', html
    )
    assert "(Known, 2020)" in html


def test_undefined_crossref_in_an_included_file_is_a_warning_at_its_line(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, "# One\n\nText.\n\n{{< include part.qmd >}}\n", "Intro.\n\nSee @fig-nothere.\n"
    )
    result = galley("build", "--to", "html", cwd=root)
    assert result.returncode == 0, result.stderr
    assert (
        "galley: warning: doc/part.qmd:3: cross-reference `@fig-nothere` points to no figure, "
        "table or section, so it renders as ?@fig-nothere; define `{#fig-nothere}` or fix the "
        "label [undefined-crossref]\n"
    ) in result.stderr
    html = (root / "_manuscript/doc/index.html").read_text(encoding="utf-8")
    assert "See <strong>?@fig-nothere</strong>." in html


def test_unknown_citation_key_is_a_warning_with_file_and_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, "# One\n\nText.\n\nAs shown [@known2020; @nokey2021].\n")
    result = galley("build", "--to", "docx", cwd=root)
    assert result.returncode == 0, result.stderr
    assert (
        "galley: warning: doc/index.qmd:9: citation `@nokey2021` is not in the bibliography "
        "(refs.bib), so it renders as nokey2021?; add the entry or fix the key [missing-key]\n"
    ) in result.stderr


def test_fig_alt_becomes_the_image_alt_text(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, 'See @fig-dot.\n\n![A dot.](dot.svg){#fig-dot fig-alt="One black dot"}\n'
    )
    (root / "doc" / "dot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4"/></svg>',
        encoding="utf-8",
    )
    result = galley("build", cwd=root)
    assert result.returncode == 0, result.stderr
    html = (root / "_manuscript/doc/index.html").read_text(encoding="utf-8")
    assert '<img src="dot.svg" alt="One black dot" />' in html
    assert re.search(r"<figcaption [^>]*>\s*Figure&nbsp;1: A dot.\s*</figcaption>", html)
    assert (root / "_manuscript/doc/dot.svg").is_file()
    assert (root / "_manuscript/doc/index.pdf").stat().st_size > 1000
