"""The same sources give the same reading with either engine (issue 9): galley's HTML of the
article and real Quarto 1.10's (`shared/quarto-reference/article/index.html`, kept beside the
clone) agree on every reference-list entry, cross-reference text and in-text citation text.
Layout and reader aids differ by design; they are not compared."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import REPO

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


@pytest.fixture(scope="module")
def quarto_reading() -> dict[str, list[str]]:
    found = [path for path in CANDIDATES if path.is_file()]
    if not found:
        pytest.skip(f"Quarto's HTML of the article is not here ({CANDIDATES[0]})")
    return reading(found[0])


@pytest.mark.parametrize(("kind", "count"), [("reference", 22), ("crossref", 19), ("citation", 30)])
def test_galley_and_quarto_html_give_the_same_texts(
    built_project: Path, quarto_reading: dict[str, list[str]], kind: str, count: int
) -> None:
    ours = reading(built_project / "_manuscript/manuscript/index.html")[kind]
    assert len(quarto_reading[kind]) == count
    assert ours == quarto_reading[kind]
