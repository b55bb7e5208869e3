"""galley's own code is part of every output's cache key (rendering/render_cache.py): each
code or template file of the package, by its path and bytes, in path order; nothing else."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from galley.rendering.render_cache import galley_code_digest


def test_the_code_digest_is_every_code_file_by_path_and_bytes_in_path_order() -> None:
    package = Path(str(resources.files("galley")))
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".lua", ".html", ".typ", ".js", ".css"):
            digest.update(path.relative_to(package).as_posix().encode() + path.read_bytes())
    assert galley_code_digest() == digest.digest()
