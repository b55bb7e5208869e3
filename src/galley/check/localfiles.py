"""`missing-file` and `missing-anchor`: local links, images and `#fragments`, in the sources and
in the rendered HTML when it exists."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from galley.project import Project
from galley.reading.documents import Document
from galley.reading.labels import identifiers
from galley.reading.local_files import local_path, raw_html_references
from galley.reading.markdown import INLINE, LineIndex
from galley.util.findings import Finding

LINK = re.compile(r"!?\[[^\]\n]*\]\((?P<target><[^>\n]*>|[^)\s]+)(?:\s+[\"'][^\n]*?[\"'])?\)")
HEADING = re.compile(r"^#{1,6}\s+(?P<text>.*?)(?:\s+\{[^{}]*\})?\s*#*\s*$", re.MULTILINE)
SCHEME = re.compile(r"^(?:[a-zA-Z][\w+.-]*:|//)")


def auto_identifier(heading: str) -> str:
    """The id pandoc's `auto_identifiers` gives a heading."""
    text = re.sub(r"[^\w\s.-]", "", heading.lower())
    text = re.sub(r"\s+", "-", text.strip())
    return re.sub(r"^[^a-z]+", "", text)


def _anchors(documents: Iterable[Document]) -> set[str]:
    ids: set[str] = set()
    for document in documents:
        ids |= {name for name, _ in identifiers(document)}
        ids |= {auto_identifier(m["text"]) for m in HEADING.finditer(document.masked.text)}
    return ids


def _html_targets(document: Document) -> list[tuple[str, int]]:
    """Paths in raw HTML, which masking blanks: tags in the prose, and `{=html}` blocks."""
    raw_lines: set[int] = set()
    code_lines: set[int] = set()
    for block in document.masked.code_blocks:
        span = range(block.first_line, block.first_line + len(block.lines))
        (raw_lines if block.info.strip() == "{=html}" else code_lines).update(span)
    lines = document.text.split("\n")
    found = [
        (reference.target, number)
        for number in sorted(raw_lines)
        for reference in raw_html_references(lines[number - 1])
    ]
    prose = "\n".join(
        "" if number in code_lines | raw_lines else line
        for number, line in enumerate(lines, start=1)
    )
    index = LineIndex(prose)
    for match in INLINE.finditer(prose):  # read as pandoc does: a tag in inline code is code
        if re.match(r"<[A-Za-z]", match[0]):
            line = index.position(match.start())[0]
            found += [(reference.target, line) for reference in raw_html_references(match[0])]
    return found


def _targets(document: Document) -> list[tuple[str, int]]:
    index = LineIndex(document.masked.text)
    found = [
        (match["target"].strip("<>"), index.position(match.start("target"))[0])
        for match in LINK.finditer(document.masked.text)
    ]
    return found + _html_targets(document)


def _missing(where: tuple[str, int, int | None], target: str, fix: str) -> Finding:
    return Finding(
        "missing-file",
        where[0],
        where[1],
        f"link target `{target}` does not exist",
        fix,
        url=target,
        cell=where[2],
    )


def _anchor(where: tuple[str, int, int | None], target: str) -> Finding:
    return Finding(
        "missing-anchor",
        where[0],
        where[1],
        f"no element has the id in `{target}`",
        "correct the fragment, or give the target an id with {#name}",
        url=target,
        cell=where[2],
    )


def _outside(where: tuple[str, int, int | None], target: str) -> Finding:
    return Finding(
        "outside-project",
        where[0],
        where[1],
        f"`{target}` lies outside the project: an output would reference or embed it",
        "copy the file into the project and use a path relative to the article",
        url=target,
        cell=where[2],
    )


def source_links(project: Project, documents: list[Document], outputs: set[Path]) -> list[Finding]:
    """Local links and images in the sources: the file must exist, a `#fragment` must be an id."""
    by_group: dict[str, list[Document]] = {}
    for document in documents:
        by_group.setdefault(document.group, []).append(document)
    anchors = {group: _anchors(members) for group, members in by_group.items()}
    base = project.article.parent
    findings = []
    for document in documents:
        for target, line in _targets(document):
            where = (document.rel, line, document.cell)
            path = local_path(document.path.parent, target)
            if path is not None and not path.is_relative_to(project.root):
                findings.append(_outside(where, target))
                continue
            if SCHEME.match(target):
                continue
            parts = urlsplit(target)
            if not parts.path:
                if parts.fragment and parts.fragment not in anchors[document.group]:
                    findings.append(_anchor(where, target))
                continue
            name = unquote(parts.path)
            roots = [project.root] if name.startswith("/") else [document.path.parent, base]
            candidates = [(root / name.lstrip("/")).resolve() for root in roots]
            if any(c.exists() or c in outputs for c in candidates):
                continue
            fix = "correct the path (relative to the article) or add the file to the project"
            findings.append(_missing(where, target, fix))
    return findings


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name in ("href", "src") and tag in (
                "a",
                "img",
                "link",
                "script",
                "source",
                "iframe",
            ):
                self.links.append((value, self.getpos()[0]))


def _parse_html(path: Path) -> _Html:
    parser = _Html()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def rendered_links(project: Project) -> list[Finding]:
    """Local links in the rendered HTML article, when `galley build` has made it."""
    if "html" not in project.formats or not project.output_path("html").is_file():
        return []
    page = project.output_path("html")
    parsed = {page: _parse_html(page)}
    findings = []
    for target, line in parsed[page].links:
        if SCHEME.match(target) or target == "#":
            continue
        parts = urlsplit(target)
        where = (project.rel(page), line, None)
        path = (page.parent / unquote(parts.path)).resolve() if parts.path else page
        if not path.is_relative_to(project.root):
            continue  # galley reads nothing there; the sources' `outside-project` finding says so
        if not path.exists():
            findings.append(_missing(where, target, "rebuild with `galley build`, or fix the link"))
            continue
        if parts.fragment and path.suffix == ".html":
            if path not in parsed:
                parsed[path] = _parse_html(path)
            if unquote(parts.fragment) not in parsed[path].ids:
                findings.append(_anchor(where, target))
    return findings
