"""Google Scholar's and Zotero's `citation_*` meta tags: in every edition but the anonymous one,
one citation_reference per work of the reference list, each value escaped once."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from tests.conftest import galley
from tests.render.fixtures import BIB, html, write_project


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and str(found.get("name", "")).startswith("citation_"):
            self.tags.append((str(found["name"]), str(found["content"])))


def citation_tags(text: str) -> list[tuple[str, str]]:
    parser = _Meta()
    parser.feed(text)
    return parser.tags


def test_the_article_carries_its_title_authors_and_one_tag_per_reference(
    built_project: Path,
) -> None:
    page = (built_project / "_manuscript/manuscript/index.html").read_text(encoding="utf-8")
    tags = citation_tags(page)
    names = [name for name, _ in tags]
    assert dict(tags)["citation_title"].startswith("Diplomatic Relations between")
    assert [v for n, v in tags if n == "citation_author"] == ["Ibrahim Rasyid", "Razfi Ramadhan"]
    assert names.count("citation_reference") == page.count('class="csl-entry"') == 22
    assert dict(tags)["citation_pdf_url"] == "index.pdf"
    assert "citation_keywords" in names and "citation_abstract" in names
    paris = next(v for n, v in tags if n == "citation_reference" and "Roland Paris" in v)
    assert paris.startswith("citation_title=Human security: Paradigm shift or hot air?; ")
    assert "citation_doi=10.1162/016228801753191141;" in paris


def test_the_anonymous_edition_has_no_citation_tags(anonymous_outputs: Path) -> None:
    page = (anonymous_outputs / "index.html").read_text(encoding="utf-8")
    assert citation_tags(page) == []
    assert "citation_" not in page.split("</head>")[0]


def test_values_are_text_escaped_once(tmp_path: Path) -> None:
    front = (
        "title: 'Fish & \"chips\" <b>not bold</b>'\n"
        "author:\n  - name: 'Ann <script>x</script> O''Hara'\n"
        "date: 2025-05-01\nbibliography: refs.bib\n"
    )
    root = write_project(tmp_path, front, "Text [@known2020].\n")
    (root / "doc" / "refs.bib").write_text(
        BIB.replace("A Known Book", "Salt & Pepper: a <i>study</i>"), encoding="utf-8"
    )
    result = galley("build", cwd=root)
    assert result.returncode == 0, result.stderr
    page = html(root)
    tags = dict(citation_tags(page))
    assert tags["citation_title"] == "Fish & “chips” not bold"  # as the page's title
    assert tags["citation_author"] == "Ann O’Hara"  # the raw script is dropped, as markup
    assert tags["citation_publication_date"] == "2025/05/01"
    # BibTeX has no markup: its `<i>` is text, kept as text (pandoc sentence-cases the title).
    assert tags["citation_reference"].startswith("citation_title=Salt & pepper: A <i>study</i>; ")
    head = page.split("</head>")[0]
    meta = "\n".join(line for line in head.splitlines() if line.startswith("<meta name="))
    assert "&lt;i&gt;study&lt;/i&gt;" in meta
    assert "&amp;amp;" not in meta and "<script>" not in meta and "<br" not in meta


WORKS_BIB = r"""@article{paris2001,
  author = {Paris, Roland}, title = {Human Security: Paradigm Shift or Hot Air?},
  journal = {International Security}, volume = {26}, number = {2}, pages = {87--102},
  year = {2001}, month = mar, doi = {10.1162/016228801753191141},
}
@incollection{berg1983,
  author = {van der Berg, Jan and {United Nations Office on Drugs and Crime}},
  editor = {Krasner, Stephen D.}, title = {Sm{\"o}rg{\aa}sbord of $\alpha$ \emph{Regimes}},
  booktitle = {International Regimes}, publisher = {Cornell University Press}, year = {1983},
  isbn = {978-0-8014-9250-0},
}
@online{bnn2024,
  author = {{Badan Narkotika Nasional}}, title = {Indonesia dan {UNODC}},
  date = {2024-03-18}, url = {https://bnn.go.id/a;b},
}
"""


def test_reference_tags_are_the_same_when_another_format_rendered_the_citations(
    tmp_path: Path,
) -> None:
    # Built with the DOCX, the DOCX's run renders the citations first and hands the page's run
    # the cited works (citations.lua); built alone, the page reads the bibliography itself.
    pages = {}
    for formats, args in (("docx html", ()), ("html", ("--to", "html"))):
        root = write_project(
            tmp_path / formats.replace(" ", "-"),
            "title: Works\nbibliography: refs.bib\n",
            "See @paris2001, [@berg1983; @bnn2024].\n",
            formats=formats,
        )
        (root / "doc" / "refs.bib").write_text(WORKS_BIB, encoding="utf-8")
        result = galley("build", *args, cwd=root)
        assert result.returncode == 0, result.stderr
        pages[formats] = [v for n, v in citation_tags(html(root)) if n == "citation_reference"]
    assert pages["docx html"] == pages["html"]
    assert len(pages["html"]) == 3
    paris = next(tag for tag in pages["html"] if "Roland Paris" in tag)
    assert "citation_publication_date=2001/03;" in paris
    berg = next(tag for tag in pages["html"] if "Berg" in tag)
    assert "citation_editor=Stephen D. Krasner;" in berg and "Smörgåsbord" in berg
    assert "citation_publication_date=2024/03/18;" in next(
        t for t in pages["html"] if "BNN" in t or "Badan" in t
    )
