"""The HTML's links: external ones hand nothing over, and the reviewer notebooks are listed."""

from __future__ import annotations

import re
from pathlib import Path

ANCHOR = re.compile(r"<a\b[^>]*>", re.S)


def anchors(html: Path) -> list[str]:
    return ANCHOR.findall(html.read_text(encoding="utf-8"))


def test_every_external_link_has_noopener_noreferrer(built_project: Path) -> None:
    html = built_project / "_manuscript" / "manuscript" / "index.html"
    external = [a for a in anchors(html) if re.search(r'href="(https?:)?//', a)]
    assert len(external) >= 15  # the reference list's DOIs and URLs
    assert [a for a in external if 'rel="noopener noreferrer"' not in a] == []


def test_the_reviewer_notebooks_are_linked_as_pages_beside_their_ipynb(
    built_project: Path,
) -> None:
    html = built_project / "_manuscript" / "manuscript" / "index.html"
    links = [a for a in anchors(html) if 'class="notebook"' in a]
    hrefs = [re.search(r'href="([^"]+)"', a)[1] for a in links]  # type: ignore[index]
    notebooks = sorted((built_project / "_manuscript" / "notebooks").glob("*.ipynb"))
    assert len(notebooks) == 5
    pages = sorted((html.parent / href).resolve() for href in hrefs)
    assert pages == [notebook.with_suffix(".html") for notebook in notebooks]
    assert all(page.is_file() for page in pages)
