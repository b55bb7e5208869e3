"""The local files an output can reference or embed, read from pandoc's own parse of the
article: images (pandoc writes `<img>`, or `<embed>` for other files), links, and the `src`,
`href`, `data`, `poster` and CSS `url()` of raw HTML.

galley reads no file outside the project. A reference to one that the author wrote in the
article is a slip Quarto renders (it reads the file, or warns that it is missing): the build
renders it as a missing file and warns at its file and line, and `galley check` reports it
(rule `outside-project`). One that the metadata, a `{{< meta >}}` or `{{< var >}}` value or a
step's output (data) put there is refused: such content is text, never a path outside. So is
every one when Quarto renders, since Quarto would read the file.
The embedded engine then runs pandoc with `--sandbox`, so pandoc itself reads no file but
those listed here (its Lua filter local-files.lua hands them over), whatever the markup: a
reference this pass did not see is not embedded either.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

from galley.errors import GalleyError
from galley.project import Project
from galley.reading import data_images
from galley.reading.pandoc_reading import ArticleReading, read_article
from galley.reading.sources import Origin, Source
from galley.util import notices
from galley.util.textfile import read_utf8

SCHEME = re.compile(r"^[a-zA-Z][\w+.-]*:")
RAW_ATTRIBUTE = re.compile(
    r"""\b(?P<name>src|href|data|poster|background|srcset)\s*=\s*"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))""",
    re.IGNORECASE,
)
CSS_URL = re.compile(r"""(?:url\(\s*|@import\s+)["']?(?P<target>[^"')\s]+)""", re.IGNORECASE)
KINDS = {"Image": "image", "Link": "link"}
# Pandoc's elements that hold at most a text: nine in ten of an article's, none a reference.
LEAVES = frozenset(("Str", "Space", "SoftBreak", "LineBreak"))


class Reference(NamedTuple):
    kind: str  # what the author wrote: image, link, or an HTML attribute such as `src`
    target: str  # as pandoc read it
    in_metadata: bool = False  # in the front matter or _quarto.yml, not the article's body


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
            if type(item) is str or (
                type(item) is dict and item.get("t") in LEAVES and type(item.get("c", "")) is str
            ):
                continue  # what `_walk` would find nothing in, without a generator for it
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
    document = reading.document()
    in_metadata = [Reference(r.kind, r.target, True) for r in _walk(document["meta"])]
    return in_metadata + list(_walk(document["blocks"]))


def _written_at(source: Source, target: str) -> tuple[Origin, str] | None:
    """The file and line of the first body line that holds `target` (as pandoc read it, or with
    its %-escapes decoded), and the form found there."""
    for written in (target, unquote(target)):
        for index, line in enumerate(source.body.split("\n")):
            if written in line:
                return source.origin(index), written
    return None


def _where(project: Project, found: tuple[Origin, str] | None) -> dict[str, Any]:
    """Where `_written_at` found a target, as GalleyError's `path` and `line`; the article when
    it found none."""
    if found is None:
        return {"path": project.rel(project.article)}
    return {"path": project.rel(found[0].path), "line": found[0].line}


def _step_outputs(project: Project) -> set[Path]:
    """The files build steps declare they write (`[tool.galley.steps.*].outputs`), read as
    leniently as galley.check.config.declared_outputs: `check_config` reports a bad one."""
    steps = project.galley.get("steps", {})
    outputs: set[Path] = set()
    for step in steps.values() if isinstance(steps, dict) else []:
        if isinstance(step, dict):
            outputs |= {(project.root / str(p)).resolve() for p in step.get("outputs", [])}
    return outputs


def _by_author(project: Project, origin: Origin, written: str) -> bool:
    """Whether the author wrote `written` at `origin`: not a step's output, and the file's line
    holds it (a `{{< meta >}}` or `{{< var >}}` value is not in the line)."""
    if origin.path.resolve() in _step_outputs(project):
        return False
    lines = read_utf8(origin.path, project.rel(origin.path)).split("\n")
    return written in lines[origin.line - 1]


def _outside(project: Project, source: Source, reference: Reference, quarto: bool) -> None:
    """Warn about a reference to a file outside the project that the author wrote; raise for
    one that the metadata, a shortcode's value or a step's output put in the article, and for
    any when Quarto renders (`quarto`): Quarto would read the file itself."""
    named = f"{reference.kind} `{reference.target}` lies outside the project"
    found = None if reference.in_metadata else _written_at(source, reference.target)
    if found is None or not _by_author(project, *found):
        raise GalleyError(f"{named}; copy it into the project", **_where(project, found))
    if quarto:
        raise GalleyError(
            f"{named}, where Quarto would read it; copy it into the project",
            **_where(project, found),
        )
    origin = found[0]
    shown = (
        "it renders as a missing image" if reference.kind == "image" else "it is left as written"
    )
    notices.warn(
        f"{project.rel(origin.path)}:{origin.line}",
        f"{named}, so galley does not read it and {shown}; copy it into the project "
        "[outside-project]",
        rendered=True,
    )


def local_files(
    project: Project,
    source: Source,
    reading: ArticleReading | None = None,
    *,
    quarto: bool = False,
) -> dict[str, str]:
    """Target -> absolute path of each existing local file inside the project the article
    references (in `reading`, else in a reading of its own). A reference to a file outside the project is left out with a warning (see the
    module's docstring), or refused, as is a `data:` image some format cannot show. `quarto`:
    Quarto renders, and would read a file outside the project (an absolute path, a link
    leading out): every reference to one is refused."""
    files: dict[str, str] = {}
    for reference in references(reading or read_article(project, source)):
        if reference.kind == "image" and reference.target.startswith("data:"):
            refused = data_images.refusal(reference.target)
            if refused is not None:
                raise GalleyError(refused, **_where(project, _written_at(source, reference.target)))
            continue
        path = local_path(project.article.parent, reference.target)
        if path is None:
            continue
        if not path.is_relative_to(project.root):
            _outside(project, source, reference, quarto)
        elif path.is_file():
            files[reference.target] = str(path)
    return files
