"""What a project's settings texts read as, and what its values write as, kept from one run to
the next in `.galley/cache/settings.json`, so that a build whose settings did not change never
imports the readers and writers (PyYAML alone is a tenth of a no-op build's start-up).

An entry is found by the digest of what it was made from: the text read (or the value written,
as JSON) with how it was read or written, galley's YAML reader (its source), the PyYAML installed
and Python's version (its tomllib). A changed text is read again, by the same reader, with its
errors reported as they always are: a text that does not read is never kept. A value is kept
only when JSON gives back exactly that value: the same types (an integer stays an integer, `1.0`
a float), text keys only (YAML's `1:` or `true:` keys are not JSON's), the same order, no
container reached twice (an alias: the copies would differ from the reading's one object) and
not nested too deeply for the cache's reader. Anything else is read or written every time, as
before.

The cache is untrusted input (galley.util.json_cache): each entry also holds its text's digest,
so a damaged one is read again, never believed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from galley.errors import GalleyError
from galley.util import json_cache
from galley.util.jsonfile import deeper_than

CACHE = "settings.json"
# Each entry: the digest of the text kept, and the text (a value's JSON, or the YAML written).
SHAPE = json_cache.Map(json_cache.Row((str, str)))
# A project has a few YAML texts: past this many entries, the oldest are dropped.
MAX_ENTRIES = 64
# Levels of a kept value: far below json's recursion limit, and above any settings file.
MAX_DEPTH = 64
READER = Path(__file__).with_name("yamlfile.py")


def parsed(text: str, kind: str, parse: Callable[[str], Any], root: Path | None) -> Any:
    """`parse(text)`, or what it gave for the same `text` and `kind` before (a new copy each
    time), from the cache of the project at `root` (None: no cache)."""
    if root is None:
        return parse(text)
    path, entries, key = _entries(root, "read", kind, text)
    kept = _kept(entries, key)
    if kept is not None and deeper_than(kept, MAX_DEPTH) is None:
        try:
            return json.loads(kept)
        except ValueError:
            pass  # not galley's writing: the text is read again
    value = parse(text)
    if _exact(value):
        _keep(path, entries, key, json.dumps(value))
    return value


def written(value: Any, kind: str, write: Callable[[Any], str], root: Path | None) -> str:
    """`write(value)`, or what it gave for the same value (as JSON, keys sorted: the YAML
    writers sort them) and `kind` before, from the cache of the project at `root` (None: no
    cache)."""
    if root is None or not _exact(value):
        return write(value)
    path, entries, key = _entries(root, "write", kind, json.dumps(value, sort_keys=True))
    kept = _kept(entries, key)
    if kept is None:
        kept = write(value)
        _keep(path, entries, key, kept)
    return kept


def _entries(root: Path, way: str, kind: str, text: str) -> tuple[Path, dict[str, Any], str]:
    """The cache file of the project at `root`, its entries and the key of `text` in them."""
    path = json_cache.cache_path(root, CACHE)
    made_from = "\0".join((*_tools(), way, kind, text))
    return path, json_cache.load(path, SHAPE), _digest(made_from)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _kept(entries: dict[str, Any], key: str) -> str | None:
    """The entry's text, when it is the one its digest names."""
    entry = entries.get(key)
    return entry[1] if entry is not None and _digest(entry[1]) == entry[0] else None


@functools.cache
def _tools() -> tuple[str, str, str]:
    """galley's YAML reader, PyYAML and Python, as installed: any changed, no entry is found."""
    spec = find_spec("yaml")
    origin = spec.origin if spec is not None and spec.origin else ""
    stat = os.stat(origin) if origin else None
    pyyaml = f"{origin}\0{stat.st_size}\0{stat.st_mtime_ns}" if stat else ""
    return READER.read_text(encoding="utf-8"), pyyaml, sys.version


def _keep(path: Path, entries: dict[str, Any], key: str, text: str) -> None:
    """Write the cache with the entry added last. A cache that cannot be written is left as it
    is: the next run reads the YAML again."""
    entries.pop(key, None)
    entries[key] = [_digest(text), text]
    kept = dict(list(entries.items())[-MAX_ENTRIES:])
    with contextlib.suppress(OSError, GalleyError):
        json_cache.save(path, kept)


def _exact(value: object) -> bool:
    """Whether JSON gives back exactly `value` (see the module's docstring)."""
    seen: set[int] = set()

    def walk(item: object, depth: int) -> bool:
        kind = type(item)
        if kind is str or kind is int or kind is bool or item is None:
            return True
        if kind is float:
            return item == item  # noqa: PLR0124 (NaN is not equal to itself, nor to its copy)
        if depth >= MAX_DEPTH or id(item) in seen:
            return False
        seen.add(id(item))
        if isinstance(item, list) and kind is list:
            return all(walk(part, depth + 1) for part in item)
        if isinstance(item, dict) and kind is dict:
            return all(type(k) is str and walk(v, depth + 1) for k, v in item.items())
        return False

    return walk(value, 0)
