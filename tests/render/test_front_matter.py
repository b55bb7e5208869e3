"""The article's front matter as Quarto reads it: its own bibliography and style, dates,
subtitle, headings in its language, where the contents go, includes, and the HTML appendix
(license, citation) — on real builds."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from tests.conftest import galley
from tests.render.fixtures import docx_xml, html, pdf_text, write_project


def test_front_matter_bibliography_is_used_by_the_build_and_the_checker(tmp_path: Path) -> None:
    root = write_project(tmp_path, "title: T\nbibliography: refs.bib\n", "As shown [@known2020].\n")
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 0, built.stderr
    assert "(Known 2020)" in html(root)  # pandoc's default style: Chicago author-date
    assert galley("check", "--offline", cwd=root).returncode == 0
    (root / "doc" / "index.qmd").write_text(
        "---\ntitle: T\nbibliography: refs.bib\n---\n\nAs shown [@known2020; @absent2021].\n",
        encoding="utf-8",
    )
    checked = galley("check", "--offline", cwd=root)
    assert checked.returncode == 1
    assert "doc/index.qmd:6: error: citation `@absent2021` has no entry" in checked.stdout


def test_a_front_matter_bibliography_outside_the_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "outside.bib").write_text("", encoding="utf-8")
    root = write_project(tmp_path / "p", "title: T\nbibliography: ../../outside.bib\n", "Text.\n")
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 2
    assert "bibliography `" in built.stderr
    assert "lies outside the project; copy it into the project" in built.stderr
    assert "Traceback" not in built.stderr


def test_an_unquoted_date_is_formatted_in_the_language_of_the_document(tmp_path: Path) -> None:
    root = write_project(
        tmp_path, "title: T\nlang: fr-CA\nauthor: Jean Tremblay\ndate: 2026-02-11\n", "Texte.\n"
    )
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 0, built.stderr
    page = html(root)
    assert '<div class="quarto-title-meta-heading">Auteur(-trice)</div>' in page
    assert '<div class="quarto-title-meta-heading">Date de publication</div>' in page
    assert '<p class="date">11 février 2026</p>' in page


def test_date_format_and_today_follow_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = write_project(tmp_path, "title: T\ndate: today\ndate-format: iso\n", "Text.\n")
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 0, built.stderr
    assert '<p class="date">2023-11-14</p>' in html(root)


def test_a_subtitle_of_several_paragraphs_stays_one_element(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        "title: T\nsubtitle: |\n  First Part\n\n  Second *Part*\n",
        "Text.\n",
        "html typst",
    )
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    assert '<p class="subtitle">First Part<br />\nSecond <em>Part</em></p>' in html(root)
    assert "First Part Second Part" in pdf_text(root)


def test_toc_location_body_puts_the_contents_in_the_text(tmp_path: Path) -> None:
    body = "# One\n\nText.\n\n# Two\n\nText.\n"
    root = write_project(tmp_path, "title: T\ntoc: true\ntoc-location: left-body\n", body)
    assert galley("build", "--to", "html", cwd=root).returncode == 0
    page = html(root)
    assert '<nav id="TOC" class="toc toc-active"' in page
    assert re.search(r'<main id="content">\s*<nav id="TOC-body" class="toc toc-body"', page)


def test_include_after_body_text_is_added_and_a_file_outside_is_refused(tmp_path: Path) -> None:
    front = 'title: T\nmark: M-42\ninclude-after-body:\n  text: |\n    <aside id="late">{{< meta mark >}}</aside>\n'
    root = write_project(tmp_path, front, "Text.\n")
    assert galley("build", "--to", "html", cwd=root).returncode == 0
    assert '<aside id="late">M-42</aside>\n</body>' in html(root)
    (root / "doc" / "index.qmd").write_text(
        "---\ntitle: T\ninclude-in-header: ../../secret.html\n---\n\nText.\n", encoding="utf-8"
    )
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 1
    assert (
        "doc/index.qmd: `include-in-header` file `../../secret.html` lies outside the project; "
        "copy it into the project"
    ) in built.stderr


def test_citation_appendix_shows_bibtex_and_attribution_as_text(tmp_path: Path) -> None:
    front = (
        'title: "<script>alert(1)</script> *Bold*"\nauthor: Hervy Qurrotul Ainur Rozi\n'
        "date: 2024-02-24\ncitation: true\nlicense: CC BY-SA\n"
    )
    root = write_project(tmp_path, front, "Text.\n")
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 0, built.stderr
    appendix = html(root).split('<div id="quarto-appendix" class="default">', 1)[1]
    assert (
        '<a href="https://creativecommons.org/licenses/by-sa/4.0/" rel="noopener noreferrer">'
        "CC BY-SA 4.0</a>"
    ) in appendix
    assert '<pre class="quarto-appendix-bibtex"><code>@online{qurrotul_ainur_rozi2024,' in appendix
    assert "title = {&lt;script&gt;alert(1)&lt;/script&gt; *Bold*}" in appendix
    assert (
        "Qurrotul Ainur Rozi, H. (2024). <em>&lt;script&gt;alert(1)&lt;/script&gt; *Bold*</em>."
        in appendix
    )
    assert "<script>alert" not in appendix


def test_typst_cites_natively_unless_citeproc_is_asked_for(tmp_path: Path) -> None:
    body = "As shown [@known2020].\n"
    root = write_project(tmp_path, "title: T\nbibliography: refs.bib\n", body, "typst")
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    native = pdf_text(root)
    assert "Bibliography" in native  # Typst's own reference list heading
    assert "Known" in native
    front = "title: T\nbibliography: refs.bib\nformat:\n  typst:\n    citeproc: true\n"
    write_project(tmp_path, front, body, "typst")
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    assert "(Known 2020)" in pdf_text(root)
    assert "Bibliography" not in pdf_text(root)


def test_reference_location_margin_puts_each_note_after_its_block(tmp_path: Path) -> None:
    body = "> Quoted text.[^a]\n\n[^a]: The note.\n\nPlain text.[^b]\n\n[^b]: Second note.\n"
    root = write_project(tmp_path, "title: T\nreference-location: margin\n", body, "html docx")
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    page = re.sub(r"\s+", " ", html(root))
    assert (
        '</blockquote> <div class="no-row-height column-margin column-container"> '
        '<div id="fn1"> <p><sup>1</sup> The note.</p> </div> </div>'
    ) in page
    assert '<div id="fn2"> <p><sup>2</sup> Second note.</p>' in page
    assert 'class="footnotes"' not in page
    assert "Second note." in docx_xml(root, "word/footnotes.xml")  # Word keeps its footnotes


def test_appendix_sections_move_to_the_appendix_in_html_only(tmp_path: Path) -> None:
    body = (
        "# Main\n\nText.\n\n# Extra tables {.appendix #sec-extra}\n\nAppendix text.\n\n"
        "## Detail\n\nMore.\n\n# Last\n\nEnd text.\n"
    )
    root = write_project(tmp_path, "title: T\nlicense: Free to share\n", body, "html docx")
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    page = html(root)
    appendix = page.split('<div id="quarto-appendix" class="default">', 1)[1]
    assert page.index("End text.") < page.index('<div id="quarto-appendix"')
    assert 'class="appendix quarto-appendix-heading' in appendix
    assert appendix.index("Appendix text.") < appendix.index("More.") < appendix.index("Reuse")
    assert "Free to share" in appendix
    word = docx_xml(root)
    assert word.index("Appendix text.") < word.index("End text.")


def test_an_affiliation_defined_under_one_author_is_shared_by_ref(tmp_path: Path) -> None:
    front = (
        "title: T\nauthor:\n  - name: Ann Author\n    affiliations:\n      - id: lab\n"
        "        name: The Lab\n  - name: Bob Writer\n    affiliations:\n      - ref: lab\n"
    )
    root = write_project(tmp_path, front, "Text.\n")
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 0, built.stderr
    page = html(root)
    assert page.count('<sup class="affiliation-ref">1</sup>') == 2
    assert '<li value="1">The Lab</li>' in page and 'value="2"' not in page


def test_metadata_files_fill_in_what_the_front_matter_leaves_out(tmp_path: Path) -> None:
    front = "title: T\nmetadata-files: [meta/extra.yml]\nsubtitle: Own subtitle\n"
    root = write_project(tmp_path, front, "Cited [@known2020]. {{< meta note >}}\n")
    (root / "doc" / "meta").mkdir()
    (root / "doc" / "meta" / "extra.yml").write_text(
        "bibliography: refs.bib\nsubtitle: Overridden\nnote: From the file.\n", encoding="utf-8"
    )
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 0, built.stderr
    page = html(root)
    assert '<p class="subtitle">Own subtitle</p>' in page
    assert "(Known 2020)</span>. From the file." in page
    (root / "doc" / "index.qmd").write_text(
        "---\ntitle: T\nmetadata-files: [../../elsewhere.yml]\n---\n\nText.\n", encoding="utf-8"
    )
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 2
    assert (
        "doc/index.qmd: metadata file `../../elsewhere.yml` lies outside the project; "
        "copy it into the project"
    ) in built.stderr


def test_typst_document_properties_keep_special_characters_as_text(tmp_path: Path) -> None:
    front = 'title: "C# rules"\nauthor: \'Ann "Q" O\\Neil\'\nkeywords: ["C#", "a_b", "`tick`"]\n'
    root = write_project(tmp_path, front, "Text.\n", "typst")
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    info = pypdf.PdfReader(root / "_manuscript" / "doc" / "index.pdf").metadata
    assert info is not None
    assert info["/Author"] == 'Ann "Q" O\\Neil'
    assert info["/Keywords"] == "C#, a_b, `tick`"
