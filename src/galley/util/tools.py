"""The external tools galley drives: where they are, their versions, and running them."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from types import ModuleType

from galley import __version__
from galley.errors import GalleyError, ToolError

STDERR_TAIL_LINES = 20
# The version each pandoc binary reported, by its path, size and modification time (in
# .galley/cache/, for `pandoc_version`).
TOOLS_CACHE = "tools.json"
TAIL_LINE_CHARS = 200


@cache
def pandoc_path() -> str:
    """The pandoc galley runs: `PYPANDOC_PANDOC` when set, else the one `pypandoc-binary` ships,
    which galley pins. Not pypandoc's own choice, which runs every pandoc it finds (on PATH, in
    ~/bin…) and takes the newest: outputs would change with whatever else is installed, and the
    probing cost each command a quarter of a second. Found without importing pypandoc (which
    imports urllib, http and ssl)."""
    override = os.environ.get("PYPANDOC_PANDOC")
    if override:
        if not (os.path.isfile(override) and os.access(override, os.X_OK)):
            raise GalleyError(
                f"pandoc is not available: PYPANDOC_PANDOC is set to `{override}`, which is not "
                "a working pandoc; fix that path or unset PYPANDOC_PANDOC"
            )
        return override
    spec = importlib.util.find_spec("pypandoc")
    folders = list(spec.submodule_search_locations or []) if spec else []
    name = "pandoc.exe" if sys.platform == "win32" else "pandoc"
    shipped = [Path(folder) / "files" / name for folder in folders]
    found = next((path for path in shipped if path.is_file()), None)
    if found is None:
        raise GalleyError(
            "pandoc is not available: reinstall the `pypandoc-binary` package "
            "(`pip install --force-reinstall pypandoc-binary`)"
        )
    return str(found)


# The heap the build's pandoc runs (its one reading, the formats') get from Haskell's runtime
# (`pandoc_runtime`). pandoc is built with `-H64m`: a 64 MB allocation area, which a run goes
# through in fresh pages, out of the CPU's caches; an 8 MB one (`-A8m`, with `-H1m` undoing the
# 64 MB) stays in them. And no collection of the old generation before it holds 64 MB (`-O64m`;
# Haskell's default is 1 MB): each costs 15-25 ms however little it frees, and the Lua filters'
# walks promote a few MB each. On the article a format's run costs a fifth less CPU, the reading
# a third (docs/lua-filter-costs.md); a book's old generation is over 64 MB anyway, and collected
# as before.
PANDOC_RTS = "-H1m -A8m -O64m"


def pandoc_runtime() -> str:
    """GHCRTS for a pandoc run: galley's heap options, then any a user set there, which win. In
    the environment rather than after `+RTS` on the command line, which a pandoc built without
    `-rtsopts` would refuse (it ignores GHCRTS with a warning)."""
    return f"{PANDOC_RTS} {os.environ.get('GHCRTS', '')}".strip()


def typst_module() -> ModuleType:
    """The Typst compiler's Python binding; its absence is a user error, not a crash."""
    try:
        import typst
    except ImportError:
        raise GalleyError(
            "Typst is not available, and the PDF needs it: install it with `pip install typst` "
            "(or `pip install -e .` in galley's folder)"
        ) from None
    return typst


@cache
def typst_fonts() -> object:
    """The fonts Typst finds (the system's and its own), found once per process: each query and
    compile of a build is given them, instead of looking through the system's fonts again (9 ms
    each time)."""
    fonts: object = typst_module().Fonts()
    return fonts


def quarto_path() -> str | None:
    return shutil.which("quarto")


@cache
def pandoc_version(cache: Path | None = None) -> str:
    """The version of the pandoc galley runs, as that binary reports it (PYPANDOC_PANDOC may
    name another pandoc than the one `pypandoc-binary` ships). With `cache` (a JSON file), the
    answer is kept there for that very binary (its path, size and modification time), so a build
    with nothing to do does not start pandoc to ask."""
    path = pandoc_path()
    if cache is None:
        return _reported_version(path)
    from galley.util import json_cache

    info = os.stat(path)
    binary = f"{os.path.realpath(path)} {info.st_size} {info.st_mtime_ns}"
    known = json_cache.load(cache, json_cache.Map(str))
    if binary in known:
        return str(known[binary])
    version = _reported_version(path)
    json_cache.save(cache, {binary: version})
    return version


def _reported_version(path: str) -> str:
    out = run([path, "--version"], what="pandoc --version").stdout
    return out.splitlines()[0].split()[-1]


@cache
def quarto_version() -> str:
    """The version of the Quarto on PATH, as `quarto --version` prints it ("not installed")."""
    quarto = quarto_path()
    if not quarto:
        return "not installed"
    return run([quarto, "--version"], what="quarto --version").stdout.strip()


def typst_version() -> str:
    """The version of the Typst compiler galley runs: its Python module's."""
    return str(getattr(typst_module(), "__version__", "unknown"))


def tool_versions(cache: Path | None = None) -> dict[str, str]:
    """Versions that decide what the outputs look like; recorded in the manifest. `cache`: as
    for `pandoc_version`."""
    versions = {
        "python": sys.version.split()[0],
        "galley": __version__,
        "pandoc": pandoc_version(cache),
        "typst": _typst_or_absent(),
    }
    if quarto_path():
        versions["quarto"] = quarto_version()
    return versions


def _typst_or_absent() -> str:
    try:
        return typst_version()
    except GalleyError:
        return "not installed"


def tail(text: str, lines: int = STDERR_TAIL_LINES) -> str:
    """The last `lines` lines of a tool's output, each cut to TAIL_LINE_CHARS: a script that
    prints megabytes must not flood the terminal."""
    return "\n".join(_cut(line) for line in text.strip().splitlines()[-lines:])


def _cut(line: str) -> str:
    if len(line) <= TAIL_LINE_CHARS:
        return line
    return f"{line[:TAIL_LINE_CHARS]} … ({len(line) - TAIL_LINE_CHARS} more characters)"


def run(
    command: Sequence[str],
    *,
    what: str,
    cwd: Path | None = None,
    input_text: str | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a tool; a failure becomes a ToolError with the command, exit code and stderr tail."""
    try:
        result = subprocess.run(
            list(command),
            cwd=cwd,
            input=input_text,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except FileNotFoundError:
        raise ToolError(f"{what}: `{command[0]}` not found; is it installed?") from None
    if result.returncode != 0:
        raise ToolError(
            f"{what} failed (exit {result.returncode}): {' '.join(map(str, command[:3]))} …\n"
            + tail(result.stderr or result.stdout)
        )
    return result
