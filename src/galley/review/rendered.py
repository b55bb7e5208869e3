"""One version of the manuscript as its reader sees it: the blocks of the article's own HTML pass.

The pass is the build's (galley.engines.pandoc: the expanded sources, the metadata, every filter,
the citations through the project's CSL), with blocks.lua last turning the document into text
block by block. So citations read as they print, "(Badan Narkotika Nasional, 2024b)", and
cross-references as "Figure 1": what a reviewer compares is the paper, not its Markdown.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from galley.project import Project
from galley.reading.sources import load_source
from galley.review.html_reading import read_through

FILTER = resources.files("galley.review") / "blocks.lua"
# The title block's fields, in the order a reader meets them, with their names on the page.
FRONT_FIELDS = {
    "title": "Title",
    "subtitle": "Subtitle",
    "authors": "Authors",
    "affiliations": "Affiliations",
    "abstract": "Abstract",
    "keywords": "Keywords",
}


@dataclass(frozen=True)
class Image:
    path: Path  # the file the page shows
    sha256: str | None  # None: the file is missing
    alt: str


@dataclass(frozen=True)
class Block:
    """A paragraph, heading, list item, table, figure, reference or title-block field."""

    kind: str
    text: str
    section: str = ""  # the heading it is under, with its number: "3 Result and Discussion"
    ident: str = ""  # a figure's, table's, heading's or reference's id; a front field's name
    level: int = 0  # a heading's
    rows: tuple[tuple[str, ...], ...] = ()  # a table's cells, header rows first
    images: tuple[Image, ...] = field(default=())

    @property
    def key(self) -> tuple[str, str]:
        """What identifies the block between versions: its id where it has one (a figure stays
        itself when its caption changes), else its text."""
        if self.kind in ("figure", "table", "reference", "front") and self.ident:
            return (self.kind, self.ident)
        return (self.kind, self.text)


@dataclass(frozen=True)
class Rendered:
    label: str  # "v1 (3f2a…)", "working tree"
    blocks: list[Block]


def _sha(project: Project, path: Path) -> str | None:
    """The image's digest; None when it is missing, or outside the project (never read)."""
    if not path.is_relative_to(project.root) or not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _block(project: Project, record: dict[str, Any]) -> Block:
    images = []
    for image in record.get("images") or []:
        path = (project.article.parent / unquote(image["src"])).resolve()
        images.append(Image(path, _sha(project, path), " ".join(image["alt"].split())))
    return Block(
        kind=record["kind"],
        text=record["text"],
        section=record.get("section") or "",
        ident=record.get("id") or "",
        level=int(record.get("level") or 0),
        rows=tuple(tuple(row) for row in record.get("rows") or []),
        images=tuple(images),
    )


def read_rendered(project: Project, label: str) -> Rendered:
    """The version in `project` (its steps' outputs made) read as the build reads it."""
    source = load_source(project)
    read = read_through(project, source, Path(str(FILTER)), "diff")
    front = [
        Block("front", str(read["front"].get(name) or ""), heading, name)
        for name, heading in FRONT_FIELDS.items()
    ]
    body = [_block(project, record) for record in read["blocks"]]
    return Rendered(label, front + body)
