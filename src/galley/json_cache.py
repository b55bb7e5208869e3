"""JSON caches under `.galley/cache/`: read leniently (a damaged cache is an empty one), written
atomically (a temporary file renamed over the old one), so an interrupted run never corrupts it."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from galley.errors import GalleyError


def cache_path(root: Path, name: str) -> Path:
    return root / ".galley" / "cache" / name


def load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(path: Path, data: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        in_the_way = next(p for p in (path.parent, *path.parent.parents) if p.is_file())
        raise GalleyError(
            f"galley keeps its caches in `{path.parent}`, but `{in_the_way}` is a file; move or "
            "delete it, then run galley again"
        ) from None
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, sort_keys=True)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
