"""JSON caches under `.galley/`: untrusted input, written atomically.

A cache is read only through `load`, with the shape its writer gives it (types, record fields,
fixed lengths): anything else — unreadable, too large, nested too deep, not JSON, or any part of
another shape — is an empty cache, so galley rebuilds what it kept and loses nothing. It is
written atomically (a temporary file renamed over the old one), so an interrupted run never
leaves half of one.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

from galley.errors import GalleyError
from galley.util.jsonfile import deeper_than

# A cache larger than this is not galley's (a book's largest, the link cache, is a few MB).
MAX_BYTES = 64 << 20
# Deeper than any shape below: the bound keeps json's own recursion far from Python's limit.
MAX_DEPTH = 16


# The shapes are immutable records; NamedTuples, as frozen dataclasses took half a millisecond each
# to make, at every start.
class Map(NamedTuple):
    """An object with any (string) keys, each value of `value`'s shape."""

    value: Shape


class Record(NamedTuple):
    """An object with these fields of these shapes (`optional` ones may be absent), and no
    other field."""

    fields: dict[str, Shape]
    optional: frozenset[str] = frozenset()


class ListOf(NamedTuple):
    """A list of any length, each item of `item`'s shape."""

    item: Shape


class Row(NamedTuple):
    """A list of exactly these items, in order (a tuple written as JSON)."""

    items: tuple[Shape, ...]


class OneOf(NamedTuple):
    """Any of these shapes."""

    options: tuple[Shape, ...]


class Among(NamedTuple):
    """One of these strings (a rule code, a format name…)."""

    values: frozenset[str]


# `type[Any]` for str, int, float, bool and type(None); the rest are the classes above.
Shape = type[Any] | Map | Record | ListOf | Row | OneOf | Among


def fits(value: object, shape: Shape) -> bool:
    """Whether `value` (as json.loads made it) has `shape`, wholly."""
    if isinstance(shape, type):
        if shape is int or shape is float:  # JSON's true is no number, though Python's is
            kinds = (int,) if shape is int else (int, float)
            return isinstance(value, kinds) and not isinstance(value, bool)
        return isinstance(value, shape)
    if isinstance(shape, OneOf):
        return any(fits(value, option) for option in shape.options)
    if isinstance(shape, Among):
        return isinstance(value, str) and value in shape.values
    if isinstance(shape, ListOf):
        return isinstance(value, list) and all(fits(item, shape.item) for item in value)
    if isinstance(shape, Row):
        return (
            isinstance(value, list)
            and len(value) == len(shape.items)
            and all(fits(item, kind) for item, kind in zip(value, shape.items, strict=True))
        )
    if not isinstance(value, dict):
        return False
    if isinstance(shape, Map):
        return all(fits(item, shape.value) for item in value.values())
    return value.keys() <= shape.fields.keys() and all(
        fits(value[name], kind) if name in value else name in shape.optional
        for name, kind in shape.fields.items()
    )


def cache_path(root: Path, name: str) -> Path:
    return root / ".galley" / "cache" / name


def load(path: Path, shape: Map | Record) -> dict[str, Any]:
    """The cache at `path` when it has `shape` wholly, else an empty one ({})."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return {}
        text = path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return {}
    if deeper_than(text, MAX_DEPTH) is not None:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if fits(data, shape) else {}


def save(path: Path, data: dict[str, Any], *, indent: int | None = None) -> None:
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
            json.dump(data, out, sort_keys=True, indent=indent)
            if indent is not None:
                out.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
