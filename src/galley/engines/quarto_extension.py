"""galley's Quarto extension, `_extensions/galley/`: the reader edition's filters inside Quarto.

The extension holds copies of galley's own Lua filters (and the files they load), written by
`galley init` and refreshed by `galley init --extension`, so that a project works wherever it is
built: Quarto loads an extension's files from the project only, and a copy of galley installed
by pip has no checkout beside the project to load them from. `galley build` says when the copy
is not the installed galley's.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from galley import __version__
from galley.errors import ConfigError
from galley.util.atomic import write_bytes

EXTENSION_DIR = Path("_extensions") / "galley"
MANIFEST = "_extension.yml"
REFRESH = "galley init --extension"
# The filters the extension contributes, in order. `pre-ast`: they run on pandoc's own AST,
# before Quarto turns figures and tables into its float nodes, as in the embedded engine.
FILTERS = ("source-notes.lua", "paragraph-numbers.lua")
# A file a filter loads from its own folder: `dofile(pandoc.path.join { pandoc.path.directory(
# PANDOC_SCRIPT_FILE), 'name.lua' })`, as the embedded engine's filters do. Quarto sets
# PANDOC_SCRIPT_FILE to the filter's own path (wrapped-filter.lua), so the copy finds it too.
LOADED = re.compile(r"(?:dofile|loadfile)\s*\(.*?'([\w.-]+\.lua)'")


def _manifest() -> str:
    filters = "".join(f"    - path: {name}\n      at: pre-ast\n" for name in FILTERS)
    return (
        f"# Written by galley {__version__} (`{REFRESH}` rewrites this folder): copies of\n"
        "# galley's own Lua filters, the files its embedded engine runs. Edit galley, not these.\n"
        "title: galley\n"
        "author: galley\n"
        f"version: {__version__}\n"
        'quarto-required: ">=1.4.0"\n'
        "contributes:\n"
        "  # The reader edition's filters. `pre-ast`: they run on pandoc's own AST, before Quarto\n"
        "  # turns figures and tables into its float nodes, as they do in the embedded engine.\n"
        "  filters:\n" + filters
    )


def extension_files() -> dict[str, bytes]:
    """Every file of the extension, by name: the manifest, the filters and what they load."""
    return {MANIFEST: _manifest().encode("utf-8"), **filter_files(FILTERS)}


def filter_files(names: tuple[str, ...]) -> dict[str, bytes]:
    """galley's Lua files `names`, and every file they load from their folder, by name."""
    folder = Path(__file__).parent / "resources"
    files: dict[str, bytes] = {}
    pending = list(names)
    while pending:
        name = pending.pop(0)
        if name not in files:
            files[name] = (folder / name).read_bytes()
            pending.extend(LOADED.findall(files[name].decode("utf-8")))
    return files


def write_extension(root: Path) -> list[str]:
    """Write the extension into `root`, replacing the folder's files with the installed
    galley's (a file galley no longer ships is removed); what it wrote and removed."""
    folder = root / EXTENSION_DIR
    for path in (folder.parent, folder):
        if path.exists() and not path.is_dir():
            raise ConfigError(
                "is a file, but Quarto extensions live in a folder of this name; move or "
                f"delete it, then run `{REFRESH}` again",
                path=path.relative_to(root),
            )
    expected = extension_files()
    changed = []
    for name, data in expected.items():
        path = folder / name
        if not path.is_file() or path.read_bytes() != data:
            write_bytes(path, data)
            changed.append(f"wrote {(EXTENSION_DIR / name).as_posix()}")
    for path in sorted(folder.iterdir()):
        if path.name not in expected and path.is_file():
            path.unlink()
            changed.append(f"removed {(EXTENSION_DIR / path.name).as_posix()}")
    return changed


def _differences(folder: Path) -> list[str]:
    expected = extension_files()
    present = {p.name for p in folder.iterdir() if p.is_file()}
    names = []
    for name, data in expected.items():
        if name not in present:
            names.append(f"{name} missing")
        elif (folder / name).read_bytes() != data:
            names.append(f"{name} differs")
    names += [f"{name} not galley's" for name in sorted(present - set(expected))]
    return names


def _written_by(folder: Path) -> str | None:
    match = re.search(r"^version:\s*(\S+)", _read(folder / MANIFEST), re.MULTILINE)
    return match[1].strip("'\"") if match else None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def extension_problem(root: Path, config: dict[str, Any]) -> str | None:
    """One line when the project's extension is not the installed galley's, saying how to
    refresh it; None when it is, or when the project neither has it nor lists it."""
    folder = root / EXTENSION_DIR
    listed = "galley" in (config.get("filters") or [])
    if not folder.is_dir():
        if not listed:
            return None
        return (
            f"_quarto.yml lists the `galley` filter, but {EXTENSION_DIR.as_posix()}/ "
            f"does not exist, so Quarto cannot render the project; run `{REFRESH}` to write it"
        )
    differences = _differences(folder)
    if not differences:
        return None
    version = _written_by(folder)
    written = f" (written by galley {version})" if version and version != __version__ else ""
    return (
        f"{EXTENSION_DIR.as_posix()}/: the Quarto extension's files{written} "
        f"are not those of the installed galley {__version__}: {', '.join(differences)}; "
        f"run `{REFRESH}` to refresh them"
    )
