"""The same sources give the same reading with either engine (issue 9): galley's HTML of the
article and real Quarto 1.10's (`shared/quarto-reference/article/index.html`, kept beside the
clone) agree on every reference-list entry, cross-reference text and in-text citation text.
Layout and reader aids differ by design; they are not compared.

Quarto rendered the sources of one commit (its README names it); the article has changed since
(issue 11's APA and caption fixes), so galley renders that commit's sources too: the comparison is
between the engines, on the same sources."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import REPO, galley

# CI keeps `shared/` beside the clone; a worktree under another folder finds it one level up.
CANDIDATES = [
    base / "shared" / "quarto-reference" / "article" / "index.html"
    for base in (REPO.parent, REPO.parent.parent)
]
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Reading(HTMLParser):
    """The text of each reference entry (`div.csl-entry`), cross-reference (`a.quarto-xref`) and
    citation (`span.citation`), in document order, whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, list[str]] = {"reference": [], "crossref": [], "citation": []}
        self.depth = 0
        self.open: list[tuple[str, int, list[str]]] = []  # kind, depth, text so far

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        self.depth += 1
        classes = (dict(attrs).get("class") or "").split()
        kind = None
        if "csl-entry" in classes:
            kind = "reference"
        elif tag == "a" and "quarto-xref" in classes:
            kind = "crossref"
        elif tag == "span" and "citation" in classes:
            kind = "citation"
        if kind:
            self.open.append((kind, self.depth, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.open and self.open[-1][1] == self.depth:
            kind, _, parts = self.open.pop()
            self.texts[kind].append(" ".join("".join(parts).split()))
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        for _, _, parts in self.open:
            parts.append(data)


def reading(path: Path) -> dict[str, list[str]]:
    parser = Reading()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.texts


def quarto_html() -> Path:
    found = [path for path in CANDIDATES if path.is_file()]
    if not found:
        pytest.skip(f"Quarto's HTML of the article is not here ({CANDIDATES[0]})")
    return found[0]


@pytest.fixture(scope="module")
def quarto_reading() -> dict[str, list[str]]:
    return reading(quarto_html())


@pytest.fixture(scope="module")
def galley_reading(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """galley's HTML of the sources Quarto rendered: that commit's tree, built by this galley."""
    notes = (quarto_html().parent.parent / "README.md").read_text(encoding="utf-8")
    commit = re.search(r"main at ([0-9a-f]{7,40})", notes)
    assert commit, "the reference's README no longer names the commit Quarto rendered"
    root = tmp_path_factory.mktemp("reference-sources")
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", commit[1]],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        pytest.skip(f"commit {commit[1]}, which Quarto rendered, is not in this clone")
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive.stdout, check=True)
    result = galley("build", "--to", "html", "--engine", "pandoc", cwd=root)
    assert result.returncode == 0, result.stderr
    return reading(root / "_manuscript/manuscript/index.html")


@pytest.mark.parametrize(("kind", "count"), [("reference", 22), ("crossref", 19), ("citation", 30)])
def test_galley_and_quarto_html_give_the_same_texts(
    galley_reading: dict[str, list[str]],
    quarto_reading: dict[str, list[str]],
    kind: str,
    count: int,
) -> None:
    assert len(quarto_reading[kind]) == count
    assert galley_reading[kind] == quarto_reading[kind]
