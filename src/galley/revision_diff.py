"""What changed in the manuscript since a git revision (`galley diff REV`), from the sources.

REV's files are exported with `git archive` into a scratch folder; its data steps run there, so
that its generated tables, figures and variables exist as a build of REV would make them; then
both versions are expanded by galley.reading.sources exactly as a build expands them (includes,
`{{< var >}}`). Compared: the title, abstract, keywords and authors; the prose, paragraph by paragraph and word by word; the citation keys
used; the bibliography's entries; every figure's image and every table's text, by hash.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import re
import subprocess
import tarfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from galley.errors import GalleyError, ToolError
from galley.project import Project, load_project
from galley.reading.bibliography import merge, parse_bibliography
from galley.reading.citations import crossref_label
from galley.reading.cites import pandoc_cites
from galley.reading.sources import Source, load_source
from galley.tools import tail

FIGURE = re.compile(r"\]\(([^)\s]+)[^)]*\)\{#(fig-[\w-]+)")
TABLE_CAPTION = re.compile(r"\{#(tbl-[\w-]+)[^}]*\}\s*$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(\{[^}]*\})?\s*$")
TOKEN = re.compile(r"\s+|[^\s]+")
# A `{{< var >}}` value arrives backslash-escaped (galley.reading.sources); the reader sees the character.
ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
# The front matter a reader sees, compared like the prose, under these headings.
FRONT_FIELDS = {
    "title": "Title",
    "subtitle": "Subtitle",
    "author": "Authors",
    "abstract": "Abstract",
    "keywords": "Keywords",
}
NAME_KEYS = ("name", "literal", "given", "family")
# A passage deleted outright is located in REV's sources.
REV_PREFIX = "was at "


@dataclass(frozen=True)
class Version:
    label: str
    project: Project
    source: Source
    references: dict[str, dict[str, str]]  # key -> fields
    elements: dict[str, tuple[str, str | None]]  # fig-/tbl- label -> (what, sha256 or None)


@dataclass(frozen=True)
class Passage:
    """A run of changed paragraphs: where, and the words as (op, text) pieces."""

    heading: str
    where: str
    pieces: list[tuple[str, str]]  # op is "equal", "insert" or "delete"
    inserted: int
    deleted: int


@dataclass
class Comparison:
    old: Version
    new: Version
    passages: list[Passage] = field(default_factory=list)
    citations_added: list[str] = field(default_factory=list)
    citations_removed: list[str] = field(default_factory=list)
    citations_recounted: dict[str, tuple[int, int]] = field(default_factory=dict)  # uses
    references_added: list[str] = field(default_factory=list)
    references_removed: list[str] = field(default_factory=list)
    references_changed: dict[str, list[str]] = field(default_factory=dict)  # key -> fields
    elements_changed: dict[str, str] = field(default_factory=dict)  # label -> added/removed/changed

    @property
    def words_inserted(self) -> int:
        return sum(p.inserted for p in self.passages)

    @property
    def words_deleted(self) -> int:
        return sum(p.deleted for p in self.passages)


def _git(project: Project, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=project.root, capture_output=True, check=False)


def export_revision(project: Project, rev: str, dest: Path) -> tuple[Project, str]:
    """REV's copy of the project under `dest`, and REV's short commit id."""
    inside = _git(project, "rev-parse", "--show-prefix")
    if inside.returncode != 0:
        raise GalleyError(
            "the project is not in a git repository; `galley diff` compares with a git revision",
            path=project.root,
        )
    commit = _git(
        project, "rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}"
    )
    if commit.returncode != 0:
        raise GalleyError(
            f"`{rev}` is not a commit of this repository; name a tag, branch or commit "
            "(see `git tag` and `git log --oneline`)"
        )
    sha = commit.stdout.decode().strip()
    prefix = inside.stdout.decode().strip()
    archive = _git(project, "archive", "--format=tar", sha, "--", prefix or ".")
    if archive.returncode != 0:
        raise ToolError(f"git archive {sha[:12]} failed:\n{tail(archive.stderr.decode())}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return load_project(dest / prefix), sha[:12]


def load_version(
    project: Project, label: str, run_steps: Callable[[Project], object] | None
) -> Version:
    if run_steps is not None and project.galley.get("steps"):
        run_steps(project)
    source = load_source(project)
    bib = merge(
        [
            parse_bibliography(path.read_text(encoding="utf-8"), project.rel(path))
            for path in project.bibliographies
            if path.is_file()
        ]
    )
    references = {entry.key: entry.fields for entry in bib.entries}
    return Version(label, project, source, references, _elements(project, source))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _elements(project: Project, source: Source) -> dict[str, tuple[str, str | None]]:
    """Each figure with its image path, each table with its text, and their hashes."""
    found: dict[str, tuple[str, str | None]] = {}
    lines = source.body.split("\n")
    for index, line in enumerate(lines):
        for src, label in FIGURE.findall(line):
            image = project.article.parent / src
            found[label] = (src, _sha(image.read_bytes()) if image.is_file() else None)
        caption = TABLE_CAPTION.search(line)
        if caption:
            end = index - 1
            while end >= 0 and not lines[end].strip():
                end -= 1
            start = end
            while start > 0 and lines[start - 1].strip():
                start -= 1
            text = "\n".join(lines[start : end + 1])
            found[caption[1]] = (text, _sha(text.encode("utf-8")))
    return found


@dataclass(frozen=True)
class _Block:
    text: str
    heading: str
    where: str


def _plain(value: object) -> str:
    """A front-matter value as the words a reader sees: an author's name parts, a list joined."""
    if isinstance(value, list):
        return "; ".join(text for item in value if (text := _plain(item)))
    if isinstance(value, dict):
        named = [value[k] for k in NAME_KEYS if k in value]
        return " ".join(_plain(v) for v in (named or value.values()))
    return "" if value is None else " ".join(str(value).split())


def _front_fields(version: Version) -> dict[str, _Block]:
    """Title, abstract, keywords and authors, each where the article's front matter sets it."""
    front, article = version.source.front_matter, version.project.article
    lines = article.read_text(encoding="utf-8").split("\n") if article.is_file() else []
    blocks = {}
    for key, heading in FRONT_FIELDS.items():
        line = next((i for i, t in enumerate(lines, 1) if t.startswith(f"{key}:")), 1)
        where = f"{version.project.rel(article)}:{line}"
        blocks[key] = _Block(_plain(front.get(key)), heading, where)
    return blocks


def _front_passages(old: Version, new: Version) -> list[Passage]:
    """A passage for each front-matter field that changed: a reviewer compares them field by
    field, not as a run of text."""
    before, after = _front_fields(old), _front_fields(new)
    passages = []
    for key in FRONT_FIELDS:
        if before[key].text != after[key].text:
            anchor = after[key] if after[key].text else before[key]
            pieces, inserted, deleted = _word_pieces(before[key].text, after[key].text)
            passages.append(Passage(anchor.heading, anchor.where, pieces, inserted, deleted))
    return passages


def _blocks(version: Version) -> list[_Block]:
    """The prose as paragraphs (blank-line separated), with their section heading. Tables and
    fenced divs are left to the element comparison."""
    source, project = version.source, version.project
    blocks: list[_Block] = []
    heading, current, start = "", list[str](), 0
    lines = source.body.split("\n")

    def close() -> None:
        text = ESCAPED.sub(r"\1", " ".join(" ".join(current).split()))
        if text and not text.startswith(("|", ":::")) and not TABLE_CAPTION.search(text):
            origin = source.origin(start)
            blocks.append(_Block(text, heading, f"{project.rel(origin.path)}:{origin.line}"))
        current.clear()

    for index, line in enumerate(lines):
        if not line.strip():
            close()
            continue
        match = HEADING.match(line)
        if match:
            close()
            heading = match[2]
            continue
        if not current:
            start = index
        current.append(line)
    close()
    return blocks


def _word_pieces(old: str, new: str) -> tuple[list[tuple[str, str]], int, int]:
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    pieces: list[tuple[str, str]] = []
    inserted = deleted = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("delete", "".join(a[i1:i2])))
            deleted += sum(1 for token in a[i1:i2] if token.strip())
        if j2 > j1:
            pieces.append(("insert", "".join(b[j1:j2])))
            inserted += sum(1 for token in b[j1:j2] if token.strip())
    return pieces, inserted, deleted


def _passages(old: list[_Block], new: list[_Block]) -> list[Passage]:
    matcher = difflib.SequenceMatcher(
        None, [b.text for b in old], [b.text for b in new], autojunk=False
    )
    passages = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        before = "\n\n".join(b.text for b in old[i1:i2])
        after = "\n\n".join(b.text for b in new[j1:j2])
        anchor = new[j1] if j2 > j1 else old[i1]
        pieces, inserted, deleted = _word_pieces(before, after)
        where = anchor.where if j2 > j1 else f"{REV_PREFIX}{anchor.where}"
        passages.append(Passage(anchor.heading, where, pieces, inserted, deleted))
    return passages


def _citation_keys(keys: list[str]) -> Counter[str]:
    """The uses of each cited key (cross-references left out)."""
    return Counter(key for key in keys if crossref_label(key) is None)


def compare(old: Version, new: Version) -> Comparison:
    passages = _front_passages(old, new) + _passages(_blocks(old), _blocks(new))
    result = Comparison(old, new, passages)
    old_cites, new_cites = pandoc_cites([old.source.body, new.source.body])
    old_keys, new_keys = _citation_keys(old_cites), _citation_keys(new_cites)
    result.citations_added = sorted(set(new_keys) - set(old_keys))
    result.citations_removed = sorted(set(old_keys) - set(new_keys))
    result.citations_recounted = {
        key: (old_keys[key], new_keys[key])
        for key in sorted(set(old_keys) & set(new_keys))
        if old_keys[key] != new_keys[key]
    }
    result.references_added = sorted(set(new.references) - set(old.references))
    result.references_removed = sorted(set(old.references) - set(new.references))
    for key in sorted(set(old.references) & set(new.references)):
        before, after = old.references[key], new.references[key]
        changed = sorted(
            name for name in set(before) | set(after) if before.get(name) != after.get(name)
        )
        if changed:
            result.references_changed[key] = changed
    for label in sorted(set(old.elements) | set(new.elements)):
        if label not in old.elements:
            result.elements_changed[label] = "added"
        elif label not in new.elements:
            result.elements_changed[label] = "removed"
        elif old.elements[label][1] != new.elements[label][1]:
            result.elements_changed[label] = "changed"
    return result
