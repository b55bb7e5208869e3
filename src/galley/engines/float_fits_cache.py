"""The float probe's answers (galley.engines.float_sizes) kept between builds.

Typst's answer to the probe depends only on what it reads: the probe's text, the images it
names, the fonts it may use, and Typst itself. So the answer is kept under a key made of all of
them, and a build whose probe is the same (an edit of the text outside the floats, or a build
after a cold one) takes it instead of laying the floats out again (18 ms of CPU for this
repository's article, a process of its own for a book). A probe that could read anything else
(a `read`, `json`, `include`… call, or an image whose path is not written out) is never kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from galley.util import json_cache
from galley.util.tools import typst_fonts, typst_module

CACHE = "float-fits.json"
# Probes kept: the editions of one article (normal, anonymous, review) each have their own.
KEPT = 8
# Typst calls that read a file, as a probe could hold them (in the author's raw Typst).
READS = re.compile(
    r"\b(?:read|json|csv|yaml|toml|xml|cbor|plugin|bibliography|image)\s*\(|#\s*(?:include|import)\b"
)
SHAPE = json_cache.Map(json_cache.ListOf(bool))  # key -> whether each float fits
# An image named by a path written out, the only reading a kept probe may hold.
IMAGE = re.compile(r'\bimage\("((?:[^"\\]|\\.)*)"')


def probe_key(text: str, probe: Path, root: Path) -> str | None:
    """The key of the probe `text` (to be written at `probe`, in project `root`), or None when
    it could read what the key cannot hold."""
    images = [match[1] for match in IMAGE.finditer(text)]
    if len(READS.findall(text)) != len(images):
        return None
    read = {}
    for written in images:
        if "\\" in written:
            return None
        path = root / written.lstrip("/") if written.startswith("/") else probe.parent / written
        if not path.resolve().is_relative_to(root.resolve()):
            return None  # Typst reads nothing outside the project, nor does galley
        try:
            read[written] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return None
    fonts = []
    for font in typst_fonts().fonts():  # type: ignore[attr-defined]
        try:
            stat = os.stat(font.path) if font.path else None
        except OSError:
            return None
        changed = [stat.st_size, stat.st_mtime_ns] if stat else None
        fonts.append([font.family, font.style, font.weight, font.stretch, font.path, changed])
    version = getattr(typst_module(), "__version__", "unknown")
    material = json.dumps([version, text, read, fonts], ensure_ascii=False)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def kept_answers(root: Path) -> dict[str, list[bool]]:
    """The answers kept in project `root`, by key."""
    return json_cache.load(json_cache.cache_path(root, CACHE), SHAPE)


def keep_answer(root: Path, kept: dict[str, list[bool]], key: str, answer: list[bool]) -> None:
    """`answer` kept under `key`, with the last of those `kept` before it."""
    others = [(known, fits) for known, fits in kept.items() if known != key]
    json_cache.save(
        json_cache.cache_path(root, CACHE), dict([*others[-(KEPT - 1) :], (key, answer)])
    )
