"""The local files an output can reference or embed, read from pandoc's own parse of the
article: images (pandoc writes `<img>`, or `<embed>` for other files), links, and the `src`,
`href`, `data`, `poster` and CSS `url()` of raw HTML. Every one must lie inside the project.

The build refuses one that does not (with its file and line), and `galley check` reports it.
The embedded engine then runs pandoc with `--sandbox`, so pandoc itself reads no file but
those listed here (its Lua filter local-files.lua hands them over), whatever the markup: a
reference this pass did not see is not embedded either.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from galley.errors import GalleyError
from galley.project import Project
from galley.reading import data_images
from galley.reading.pandoc_reading import ArticleReading, read_article
from galley.reading.sources import Source

SCHEME = re.compile(r"^[a-zA-Z][\w+.-]*:")
RAW_ATTRIBUTE = re.compile(
    r"""\b(?P<name>src|href|data|poster|background|srcset)\s*=\s*"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))""",
    re.IGNORECASE,
)
CSS_URL = re.compile(r"""(?:url\(\s*|@import\s+)["']?(?P<target>[^"')\s]+)""", re.IGNORECASE)
KINDS = {"Image": "image", "Link": "link"}


@dataclass(frozen=True)
class Reference:
    kind: str  # what the author wrote: image, link, or an HTML attribute such as `src`
    target: str  # as pandoc read it


def local_path(base: Path, target: str) -> Path | None:
    """The file `target` (relative to the folder `base`) names, as pandoc reads it; None for a
    URL, a `#fragment` or a `data:` URI. An absolute path is one on this machine."""
    if target.startswith("//") or (SCHEME.match(target) and not target.startswith("file:")):
        return None
    name = unquote(urlsplit(target).path)
    if not name:
        return None
    return (base / name).resolve()


def raw_html_references(html: str) -> Iterator[Reference]:
    """The paths in raw HTML (a tag, or several)."""
    for match in RAW_ATTRIBUTE.finditer(html):
        value = match["dq"] if match["dq"] is not None else match["sq"] or match["bare"] or ""
        name = match["name"].lower()
        for candidate in value.split(",") if name == "srcset" else [value]:
            if candidate.strip():
                yield Reference(f"HTML `{name}`", candidate.split()[0])
    for match in CSS_URL.finditer(html):
        yield Reference("CSS `url()`", match["target"])


def _attributes(pairs: list[Any]) -> Iterator[Reference]:
    """The paths in an element's attributes, which the HTML writer copies (`style`, `src`…)."""
    for name, value in pairs:
        yield from raw_html_references(f"{name}={json.dumps(value)}")


def _is_attr(node: list[Any]) -> bool:
    """Pandoc's Attr: identifier, classes, key-value pairs."""
    return (
        len(node) == 3
        and isinstance(node[0], str)
        and isinstance(node[1], list)
        and isinstance(node[2], list)
        and all(isinstance(pair, list) and len(pair) == 2 for pair in node[2])
        and all(isinstance(c, str) for c in node[1])
    )


def _walk(node: Any) -> Iterator[Reference]:
    if isinstance(node, list):
        if _is_attr(node):
            yield from _attributes(node[2])
            return
        for item in node:
            yield from _walk(item)
    elif isinstance(node, dict):
        kind, content = node.get("t"), node.get("c", [])
        if kind in KINDS:
            yield Reference(KINDS[kind], content[2][0])
            yield from _walk(content[:2])  # its attributes, and a linked image's own target
        elif kind in ("RawInline", "RawBlock") and content[0] in ("html", "html5"):
            yield from raw_html_references(content[1])
        elif kind == "MetaMap" or "t" not in node:  # a map of values: the document's `meta`
            yield from _walk(list(node.get("c", node).values()))
        else:
            yield from _walk(content)


def references(reading: ArticleReading) -> list[Reference]:
    """Every reference in the article and its metadata, as pandoc parses them."""
    return list(_walk([reading.document["meta"], reading.document["blocks"]]))


def _where(project: Project, source: Source, target: str) -> dict[str, Any]:
    """The file and line that name `target` first, as GalleyError's `path` and `line`."""
    for written in (target, unquote(target)):
        for index, line in enumerate(source.body.split("\n")):
            if written in line:
                origin = source.origin(index)
                return {"path": project.rel(origin.path), "line": origin.line}
    return {"path": project.rel(project.article)}


def local_files(
    project: Project, source: Source, reading: ArticleReading | None = None
) -> dict[str, str]:
    """Target -> absolute path of each existing local file the article references (in
    `reading`, else in a reading of its own); raise on the first reference to a file outside
    the project, or to a `data:` image some format cannot show."""
    files: dict[str, str] = {}
    for reference in references(reading or read_article(project, source)):
        if reference.kind == "image" and reference.target.startswith("data:"):
            refused = data_images.refusal(reference.target)
            if refused is not None:
                raise GalleyError(refused, **_where(project, source, reference.target))
            continue
        path = local_path(project.article.parent, reference.target)
        if path is None:
            continue
        if not path.is_relative_to(project.root):
            raise GalleyError(
                f"{reference.kind} `{reference.target}` lies outside the project; copy it into "
                "the project",
                **_where(project, source, reference.target),
            )
        if path.is_file():
            files[reference.target] = str(path)
    return files
