"""The version of an installed Python package, as `importlib.metadata.version` gives it, read
without importing importlib.metadata (5 ms, with the email package) where its METADATA file can
be found as importlib.metadata finds it; anything unusual is importlib.metadata's answer."""

from __future__ import annotations

import importlib.machinery
import os
import re
import sys
from pathlib import Path

# Each package's version by the text of its METADATA file (galley.util.package_versions.package_version).
_VERSIONS: dict[str, str] = {}
# PEP 503's separators, as importlib.metadata normalizes a distribution's name.
NAME_SEPARATORS = re.compile(r"[-_.]+")


def package_version(name: str) -> str:
    """`importlib.metadata.version(name)`, read once per text of the package's METADATA (a
    build asks for the same few packages a dozen times; a package installed anew has a new
    text), and from its headers alone: importlib.metadata parses the long description after
    them too, 3 ms for matplotlib's. The METADATA is found as importlib.metadata finds it
    (`_metadata_text`), without importing it. Raises PackageNotFoundError as that function
    does."""
    text = _metadata_text(name)
    if text is None:
        from importlib import metadata

        found = metadata.distribution(name)
        text = found.read_text("METADATA")
        if not text:  # read from PKG-INFO or elsewhere (importlib.metadata's own fallbacks)
            return found.version
    if text not in _VERSIONS:
        version = _version_header(text)
        if version is None:  # headers only importlib.metadata's own reading can tell
            from importlib import metadata

            return metadata.distribution(name).version
        _VERSIONS[text] = version
    return _VERSIONS[text]


def installed_version(name: str) -> str | None:
    """`package_version`, or None when the package is not installed."""
    try:
        return package_version(name)
    except ImportError as exc:  # importlib.metadata is imported only when it was asked
        from importlib.metadata import PackageNotFoundError

        if isinstance(exc, PackageNotFoundError):
            return None
        raise


def _metadata_text(name: str) -> str | None:
    """The METADATA of the distribution importlib.metadata finds for `name`, found as it looks
    (`FastPath` and `Lookup` in importlib/metadata: each entry of sys.path in turn, each folder's
    children in listing order, names normalized), without importing it (5 ms, with the email
    package): when that distribution is a `.dist-info` folder with a METADATA file. None when
    anything else answers — a zip on sys.path, an `.egg-info`, a finder of another kind — and
    importlib.metadata is asked instead."""
    finders = [f for f in sys.meta_path if getattr(f, "find_distributions", None)]
    if finders != [importlib.machinery.PathFinder]:
        return None
    wanted = _normalized(name)
    for entry in sys.path:
        folder = entry or "."
        if os.path.basename(entry).lower().endswith(".egg"):
            return None
        try:
            child = _distributions(folder).get(wanted)
        except OSError:
            if os.path.exists(folder):
                return None  # a zip, perhaps: importlib.metadata reads those
            continue
        if child is None:
            continue
        if not child.lower().endswith(".dist-info"):
            return None
        try:
            return Path(folder, child, "METADATA").read_text(encoding="utf-8")
        except (OSError, ValueError):
            return None
    return None


def _normalized(name: str) -> str:
    """A distribution's name as importlib.metadata compares it (`Prepared.normalize`)."""
    return NAME_SEPARATORS.sub("-", name).lower().replace("-", "_")


# Each folder's distributions (`_distributions`), as of its modification time.
_FOLDERS: dict[str, tuple[float, dict[str, str]]] = {}


def _distributions(folder: str) -> dict[str, str]:
    """The folder's first `.dist-info` or `.egg-info` child for each normalized name, in listing
    order, as importlib.metadata's `Lookup` keeps it; listed again only once the folder has
    changed (`FastPath.lookup`): a build asks for a dozen versions, and site-packages holds
    hundreds of entries. Raises OSError as os.listdir does."""
    changed = os.stat(folder).st_mtime
    kept = _FOLDERS.get(folder)
    if kept is None or kept[0] != changed:
        found: dict[str, str] = {}
        for child in os.listdir(folder):
            low = child.lower()
            if low.endswith((".dist-info", ".egg-info")):
                found.setdefault(_normalized(low.rpartition(".")[0].partition("-")[0]), child)
        kept = _FOLDERS[folder] = (changed, found)
    return kept[1]


def _version_header(text: str) -> str | None:
    """The `Version` header as Python's email parser reads it, when the headers before it are
    plain one-line `Name: value` lines, as installers write METADATA; None when they are not
    (folded lines, CR LF, a line that ends the headers early), or when there is none."""
    head = text.split("\n\n", 1)[0]
    if "\r" in head:
        return None
    lines = head.split("\n")
    for at, line in enumerate(lines):
        key, colon, value = line.partition(":")
        if not colon or not key or not all("!" <= char <= "~" for char in key):
            return None
        if key.lower() == "version":
            folded = lines[at + 1 : at + 2] and lines[at + 1][:1] in (" ", "\t")
            return None if folded else value.lstrip(" \t")
    return None
