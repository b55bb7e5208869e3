"""`galley refs` prints the reference list the article itself prints (the `#refs` of its built
HTML), entry for entry, in text, Markdown and HTML; and what a .bib field holds stays text."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from galley.util.tools import pandoc_path
from tests.conftest import REPO, galley
from tests.hardening.conftest import QUARTO, make_project

ENTRY = re.compile(r'<div id="ref-[^"]*" class="csl-entry"[^>]*>.*?</div>', re.DOTALL)
# Two works of one author in one year (APA: 2024a, 2024b, by title), an edited book (the editor
# is the author: printed once, as "(Ed.)"), and a title that ends in a question mark (no "?.").
SMALL_BIB = r"""@misc{later, author = {{Badan Narkotika Nasional}}, title = {Zebra crossings},
  year = {2024}, date = {2024-06-27}, url = {https://example.org/z}}
@misc{earlier, author = {{Badan Narkotika Nasional}}, title = {Apples and pears},
  year = {2024}, date = {2024-03-18}, url = {https://example.org/a}}
@book{edited, editor = {Krasner, Stephen D.}, title = {International Regimes},
  publisher = {Cornell University Press}, address = {Ithaca, NY}, year = {1983}}
@article{question, author = {Paris, Roland}, title = {Human Security: Paradigm Shift or Hot Air?},
  journal = {International Security}, year = {2001}, volume = {26}, number = {2},
  pages = {87--102}, doi = {10.1162/016228801753191141}}
@book{uncited, author = {Nobody, Nemo}, title = {Never Cited}, publisher = {P}, year = {1999}}
"""
SMALL_ARTICLE = """\
---
title: A small article
---

Two in one year [@later; @earlier], an edited book [@edited] and a question [@question].
"""
# What a hostile .bib carries: HTML, LaTeX commands, Markdown syntax, and a URL whose `)` and
# spaces would end a Markdown link target and let the rest become markup.
HOSTILE_BIB = r"""@misc{evil,
  author = {<script>window.__pwned = 1</script> and Doe, <img src=x onerror="window.__pwned=2">},
  title = {<script>window.__pwned = 3</script><b onmouseover="x()">Bold</b> \input{/etc/passwd} *star* [a](javascript:alert(1))},
  url = {https://example.org/a b)<img src=x onerror=alert(1)>},
  year = {2020}
}
"""


class Reading(HTMLParser):
    """What an entry says in every format: its text, its text with the emphasis marked, and its
    link targets (spans, attributes and the HTML wrapper are not text). Also every tag and
    attribute, to tell markup from text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag == "em":
            self.parts.append("\0")
        elif tag == "a":
            self.links.append(unquote(dict(attrs).get("href") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "em":
            self.parts.append("\0")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @classmethod
    def of(cls, fragment: str) -> Reading:
        parser = cls()
        parser.feed(fragment)
        return parser

    @property
    def marked(self) -> tuple[str, list[str]]:
        return " ".join("".join(self.parts).split()).replace("\0", "_"), self.links

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).replace("\0", "").split())


def elements(node: Any) -> Iterator[dict[str, Any]]:
    """Every element of a pandoc JSON AST."""
    if isinstance(node, dict):
        if "t" in node:
            yield node
        for value in node.values():
            yield from elements(value)
    elif isinstance(node, list):
        for value in node:
            yield from elements(value)


def refs(root: Path, *args: str) -> str:
    result = galley("refs", *args, cwd=root)
    assert result.returncode == 0, result.stderr
    return result.stdout


def markdown_to_html(entries: list[str]) -> list[str]:
    """Each Markdown entry as pandoc reads it (one call for all), as HTML paragraphs."""
    written = subprocess.run(
        [pandoc_path(), "-f", "markdown", "-t", "html5", "--wrap=none"],
        input="\n\n".join(entries),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return re.findall(r"<p>(.*?)</p>", written, re.DOTALL)


def assert_refs_match_the_page(root: Path, page: Path) -> int:
    """`galley refs` in each format equals the page's `#refs`, entry for entry; returns how many."""
    printed = ENTRY.findall(page.read_text(encoding="utf-8"))
    assert printed, "the page prints no reference list"
    readings = [Reading.of(entry) for entry in printed]

    as_html = refs(root, "--format", "html")
    assert ENTRY.findall(as_html) == printed  # the page's own elements, byte for byte
    text = refs(root).rstrip("\n").split("\n\n")
    assert text == [reading.text for reading in readings]
    markdown = refs(root, "--format", "markdown").rstrip("\n").split("\n\n")
    as_read = [Reading.of(entry).marked for entry in markdown_to_html(markdown)]
    assert as_read == [reading.marked for reading in readings]
    return len(printed)


def test_refs_equal_the_articles_own_list_in_every_format(built_project: Path) -> None:
    page = built_project / "_manuscript" / "manuscript" / "index.html"
    assert assert_refs_match_the_page(built_project, page) == 22


def small_project(root: Path, bib: str, article: str) -> Path:
    """A tiny project that renders its HTML with the paper's APA style."""
    quarto = QUARTO.replace("bibliography: refs.bib", "bibliography: refs.bib\ncsl: apa.csl")
    make_project(root, {"_quarto.yml": quarto, "refs.bib": bib, "index.qmd": article})
    shutil.copy2(REPO / "apa.csl", root / "apa.csl")
    return root


def test_refs_disambiguate_years_and_print_an_editor_once_as_the_page_does(tmp_path: Path) -> None:
    root = small_project(tmp_path / "project", SMALL_BIB, SMALL_ARTICLE)
    result = galley("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert assert_refs_match_the_page(root, root / "_manuscript" / "index.html") == 4
    assert refs(root).rstrip("\n").split("\n\n") == [
        "Badan Narkotika Nasional. (2024a). Apples and pears. https://example.org/a",
        "Badan Narkotika Nasional. (2024b). Zebra crossings. https://example.org/z",
        "Krasner, S. D. (Ed.). (1983). International regimes. Cornell University Press.",
        "Paris, R. (2001). Human security: Paradigm shift or hot air? International Security, "
        "26(2), 87–102. https://doi.org/10.1162/016228801753191141",
    ]


def test_refs_all_adds_the_uncited_entries_even_when_the_page_hides_its_list(
    tmp_path: Path,
) -> None:
    hidden = SMALL_ARTICLE.replace("---\n\n", "suppress-bibliography: true\n---\n\n", 1)
    root = small_project(tmp_path / "project", SMALL_BIB, hidden)
    assert len(refs(root).split("\n\n")) == 4
    entries = refs(root, "--all").rstrip("\n").split("\n\n")
    assert len(entries) == 5
    assert entries[3] == "Nobody, N. (1999). Never cited. P."


def test_hostile_bibliography_fields_stay_text_in_every_format(tmp_path: Path) -> None:
    root = small_project(tmp_path / "project", HOSTILE_BIB, "Cites [@evil].\n")
    as_html = Reading.of(refs(root, "--format", "html"))
    assert {tag for tag, _ in as_html.tags} == {"div", "span", "em", "a"}
    attributes = {name for _, attrs in as_html.tags for name, _ in attrs}
    assert attributes == {"id", "class", "role", "href", "rel"}
    assert "window.__pwned = 3</script><b onmouseover" in as_html.text

    markdown = refs(root, "--format", "markdown")
    ast = json.loads(
        subprocess.run(
            [pandoc_path(), "-f", "markdown", "-t", "json"],
            input=markdown,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    found = list(elements(ast))
    assert not [e for e in found if e["t"] in ("RawInline", "RawBlock")], markdown
    assert [unquote(e["c"][2][0]) for e in found if e["t"] == "Link"] == [
        "https://example.org/a b)<img src=x onerror=alert(1)>"
    ], markdown

    text = refs(root)
    assert "window.__pwned = 3</script><b onmouseover" in text
    assert "\\input" not in text  # the page drops a LaTeX command; so does every format


def test_an_unknown_citation_key_is_a_warning_with_file_and_line(tmp_path: Path) -> None:
    root = small_project(tmp_path / "project", SMALL_BIB, "Fine [@edited].\n\nBad [@nokey].\n")
    result = galley("refs", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "galley: warning: index.qmd:3: citation `@nokey` is not in the bibliography (refs.bib), "
        "so it renders as nokey?; add the entry or fix the key [missing-key]\n"
    )
    assert result.stdout == (
        "Krasner, S. D. (Ed.). (1983). International regimes. Cornell University Press.\n"
    )


def test_refs_before_the_steps_ran_say_to_build_first(tmp_path: Path) -> None:
    root = small_project(tmp_path / "project", SMALL_BIB, "{{< include made.md >}}\n")
    script = "import os, pathlib\nout = pathlib.Path(os.environ['GALLEY_OUTPUT_ROOT'])\n"
    script += "(out / 'made.md').write_text('Made [@edited].')\n"
    (root / "make.py").write_text(script, encoding="utf-8")
    steps = '[tool.galley.steps.made]\nscript = "make.py"\noutputs = ["made.md"]\n'
    (root / "pyproject.toml").write_text(steps, encoding="utf-8")
    result = galley("refs", cwd=root)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "galley: error: `made.md` (made by step `made`) does not exist yet; run `galley build` "
        "first, so that the list holds what generated files cite\n"
    )
    assert galley("build", cwd=root).returncode == 0
    assert (
        refs(root)
        == "Krasner, S. D. (Ed.). (1983). International regimes. Cornell University Press.\n"
    )
