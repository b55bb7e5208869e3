"""Which formats need rendering: a content hash of everything that shapes each output.

A format is fresh when its output exists and the hashes of its inputs (expanded sources,
settings, bibliography, style, images, galley's templates and the tools' versions) equal the
ones recorded after its last successful render; the parts that differ say why it is not.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from functools import cache
from pathlib import Path

from galley import __version__
from galley.project import Project
from galley.reading.sources import Source
from galley.rendering.styles import csl_path
from galley.util import json_cache
from galley.util.tools import TOOLS_CACHE, pandoc_version, quarto_version, typst_version

IMAGE_LINK = re.compile(r"\]\(([^)\s]+\.(?:png|svg|jpe?g|gif|webp|pdf))(?:\s[^)]*)?\)", re.I)
CACHE_NAME = "formats.json"  # galley check keeps its own caches beside it
# Each output's parts, by name, as `render_parts` gave them.
SHAPE = json_cache.Map(json_cache.Map(str))


def image_paths(project: Project, source: Source) -> list[Path]:
    found = {(project.article.parent / m).resolve() for m in IMAGE_LINK.findall(source.body)}
    return sorted(found)


# The files of galley's package that decide its outputs (galley_code_digest).
CODE_SUFFIXES = (".py", ".lua", ".html", ".typ", ".js", ".css")


def render_parts(
    project: Project,
    source: Source,
    fmt: str,
    engine: str,
    extra: str = "",
    shared: dict[str, str] | None = None,
) -> dict[str, str]:
    """A digest of each thing that shapes the output, named as `galley status` says it changed;
    the versions of the tools that render it are kept as they are, to be read in the cache.
    `shared`: what `shared_parts` gave for this source, when several formats are asked for (a
    book's images are then read once, not once per format)."""
    common = list((shared if shared is not None else shared_parts(project, source)).items())
    engine_part = _digest([("engine", hashlib.sha256(f"{engine} {fmt} {extra}".encode()))])
    return {
        **dict(common[:1]),
        "the edition or engine": engine_part,
        **dict(common[1:]),
        **_tool_versions(project, engine, fmt),
    }


def shared_parts(project: Project, source: Source) -> dict[str, str]:
    """The parts every format has in common (all but the edition or engine and the tools), in
    the order `render_parts` names them."""
    parts: dict[str, list[tuple[str, hashlib._Hash]]] = {}

    def add(part: str, label: str, data: bytes) -> None:
        parts.setdefault(part, []).append((label, hashlib.sha256(data)))

    add("galley or its tools", "version", __version__.encode())
    add("galley or its tools", "galley", galley_code_digest())
    add("the article", "body", source.body.encode())
    add(
        "the front matter",
        "front",
        json.dumps(source.front_matter, sort_keys=True, default=str).encode(),
    )
    add("_quarto.yml", "config", json.dumps(project.config, sort_keys=True, default=str).encode())
    csl = csl_path(project)
    for path in (*project.bibliographies, *([csl] if csl else [])):
        add("the bibliography or style", str(path), path.read_bytes() if path.is_file() else b"")
    for path in image_paths(project, source):
        # One outside the project is never read (galley.reading.local_files): its content does
        # not shape an output.
        inside = path.is_relative_to(project.root)
        add("an image", str(path), path.read_bytes() if inside and path.is_file() else b"missing")
    for path in _quarto_project_files(project):
        add("Quarto's extensions or profiles", str(path), path.read_bytes())
    return {part: _digest(items) for part, items in parts.items()}


def _digest(items: list[tuple[str, hashlib._Hash]]) -> str:
    """One part's digest: each labelled item's own hash, in order."""
    digest = hashlib.sha256()
    for label, item in items:
        digest.update(label.encode() + b"\0" + item.digest())
    return digest.hexdigest()


def _tool_versions(project: Project, engine: str, fmt: str) -> dict[str, str]:
    """The embedded engine's tools as run: the pandoc binary's own `--version` (not the version
    of the package that ships it) and, for the PDF, the Typst compiler's, since pandoc's Typst
    writer and the compiler must agree. Quarto brings its own tools: its version stands for them."""
    if engine == "quarto":
        return {"Quarto": quarto_version()}
    versions = {"pandoc": pandoc_version(project.cache_dir / "cache" / TOOLS_CACHE)}
    if fmt in ("typst", "pdf"):
        versions["Typst"] = typst_version()
    return versions


def _quarto_project_files(project: Project) -> list[Path]:
    """What else shapes Quarto's render: the project's extensions and profile files."""
    extensions = project.root / "_extensions"
    found = [p for p in extensions.rglob("*") if p.is_file()] if extensions.is_dir() else []
    return sorted(found) + sorted(project.root.glob("_quarto-*.yml"))


@cache
def galley_code_digest() -> bytes:
    """galley's own code and templates: a change to either re-renders (also between releases).
    Each file's path from the package (`/` between folders) and bytes, in the order of the paths'
    parts. Every build asks (3 ms), so the folders are listed with os.scandir, whose entries
    know their kind without a stat each (os.walk and isfile took twice as long; Path.rglob's
    objects, twice the hashing), and each file is read unbuffered."""
    package = str(Path(__file__).parents[1])  # galley's folder: a package on disk, walked
    digest = hashlib.sha256()
    for parts in sorted(_code_files(package, ())):
        with open(os.path.join(package, *parts), "rb", buffering=0) as handle:
            digest.update("/".join(parts).encode() + handle.readall())
    return digest.digest()


def _code_files(folder: str, parts: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The code files under `folder` (`parts` from the package), as os.walk with `followlinks`
    and os.path.isfile would find them: a folder linked to is walked, an unreadable one is not."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return []
    found = []
    for entry in entries:
        if entry.is_dir():
            found += _code_files(entry.path, (*parts, entry.name))
        elif _suffix(entry.name) in CODE_SUFFIXES and entry.is_file():
            found.append((*parts, entry.name))
    return found


def _suffix(name: str) -> str:
    """The name's suffix as Path.suffix gives it (none for `.hidden` or `name.`)."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


class RenderCache:
    """The parts of each output's last successful render, by output (`html`, `review/html`…)."""

    def __init__(self, project: Project):
        self.path = project.cache_dir / "cache" / CACHE_NAME
        self.project = project
        # No cache, or a damaged one (`null`, a list…): everything is stale, nothing is lost.
        self.records: dict[str, dict[str, str]] = json_cache.load(self.path, SHAPE)

    def why_stale(self, name: str, parts: dict[str, str], output: Path) -> str | None:
        """Why the output `name` at `output` needs rendering, or None when it is fresh."""
        record = self.records.get(name)
        if record is None:
            return "never built"
        if not output.is_file():
            return f"{self.project.rel(output)} is missing"
        changed = [part for part, digest in parts.items() if record.get(part) != digest]
        stale = [part for part in record if part not in parts]  # e.g. the last image removed
        return f"changed: {', '.join(changed + stale)}" if changed or stale else None

    def record(self, parts: dict[str, dict[str, str]]) -> None:
        self.records.update(parts)
        json_cache.save(self.path, self.records, indent=2)
