"""Which formats need rendering: a content hash of everything that shapes each output.

A format is fresh when its output exists and the hash of its inputs (expanded sources,
settings, bibliography, style, images, galley's templates and the tools' versions) equals the
one recorded after its last successful render.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from galley import __version__
from galley.atomic import write_text
from galley.project import Project
from galley.sources import Source
from galley.styles import csl_path

IMAGE_LINK = re.compile(r"\]\(([^)\s]+\.(?:png|svg|jpe?g|gif|webp|pdf))(?:\s[^)]*)?\)", re.I)
CACHE_NAME = "formats.json"  # galley check keeps its own caches beside it


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def image_paths(project: Project, source: Source) -> list[Path]:
    found = {(project.article.parent / m).resolve() for m in IMAGE_LINK.findall(source.body)}
    return sorted(found)


def render_key(project: Project, source: Source, fmt: str, engine: str, extra: str = "") -> str:
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(label.encode() + b"\0" + hashlib.sha256(data).digest())

    add("versions", f"{__version__} {_version('pypandoc-binary')} {_version('typst')}".encode())
    add("engine", f"{engine} {fmt} {extra}".encode())
    add("body", source.body.encode())
    add("front", json.dumps(source.front_matter, sort_keys=True, default=str).encode())
    add("config", json.dumps(project.config, sort_keys=True, default=str).encode())
    csl = csl_path(project)
    for path in (*project.bibliographies, *([csl] if csl else [])):
        add(str(path), path.read_bytes() if path.is_file() else b"")
    for path in image_paths(project, source):
        add(str(path), path.read_bytes() if path.is_file() else b"missing")
    for path in _quarto_project_files(project):
        add(str(path), path.read_bytes())
    add("galley", _galley_code_digest())
    return digest.hexdigest()


def _quarto_project_files(project: Project) -> list[Path]:
    """What else shapes Quarto's render: the project's extensions and profile files."""
    extensions = project.root / "_extensions"
    found = [p for p in extensions.rglob("*") if p.is_file()] if extensions.is_dir() else []
    return sorted(found) + sorted(project.root.glob("_quarto-*.yml"))


@cache
def _galley_code_digest() -> bytes:
    """galley's own code and templates: a change to either re-renders (also between releases)."""
    package = Path(str(resources.files("galley")))
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".lua", ".html", ".typ", ".js", ".css"):
            digest.update(path.relative_to(package).as_posix().encode() + path.read_bytes())
    return digest.digest()


class RenderCache:
    def __init__(self, project: Project):
        self.path = project.cache_dir / "cache" / CACHE_NAME
        self.project = project
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        # No cache, or a damaged one (`null`, a list…): everything is stale, nothing is lost.
        entries = data.items() if isinstance(data, dict) else []
        self.keys: dict[str, str] = {k: v for k, v in entries if isinstance(v, str)}

    def is_fresh(self, fmt: str, key: str) -> bool:
        return self.keys.get(fmt) == key and self.project.output_path(fmt).is_file()

    def record(self, keys: dict[str, str]) -> None:
        self.keys.update(keys)
        write_text(self.path, json.dumps(self.keys, indent=2, sort_keys=True))
