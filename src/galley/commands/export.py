"""`galley export snakemake`: write the project's steps as a Snakefile (galley.steps.snakefile).

galley owns the file it writes and rewrites it on each export; a file at that place that galley
did not write (an author's own Snakefile) is never replaced.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import PurePosixPath

from galley.errors import ConfigError, GalleyError
from galley.project import Project, load_project
from galley.steps.snakefile import DEFAULT_OUTPUT

# Where Snakemake looks for a Snakefile when given none, in its order.
SNAKEMAKE_DEFAULTS = ("Snakefile", "snakefile", "workflow/Snakefile", "workflow/snakefile")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("workflow", choices=("snakemake",), help="the workflow engine")
    parser.add_argument(
        "--output",
        default=DEFAULT_OUTPUT,
        metavar="PATH",
        help=f"where to write it, inside the project (default: {DEFAULT_OUTPUT}, where "
        "Snakemake finds it); e.g. workflow/galley.smk to `include:` from your own Snakefile",
    )


def _target(project: Project, output: str) -> PurePosixPath:
    path = PurePosixPath(output)
    inside = project.root.resolve()
    if (
        path.is_absolute()
        or ".." in path.parts
        or not path.parts
        or not (project.root / path).resolve().is_relative_to(inside)  # a link leading out
    ):
        raise ConfigError(
            f"--output `{output}` must be a path inside the project, relative to it, without `..` "
            "or a link leading out"
        )
    if (project.root / path).is_dir():
        raise ConfigError(f"--output `{output}` is a folder; name the file to write")
    for parent in reversed(path.parents[:-1]):  # `a`, then `a/b`, ... (not the project itself)
        if (project.root / parent).exists() and not (project.root / parent).is_dir():
            raise ConfigError(
                f"--output `{output}` lies under `{parent}`, which is a file, not a folder; "
                "choose another path, or move the file"
            )
    return path


def run(args: argparse.Namespace) -> int:
    from galley.steps.config import load_steps
    from galley.steps.graph import order
    from galley.steps.snakefile import MARKER, snakefile
    from galley.util.atomic import write_text

    project = load_project(args.project)
    steps = load_steps(project)
    if not steps:
        raise ConfigError(
            "pyproject.toml declares no steps ([tool.galley.steps]), so there is nothing to export"
        )
    order(steps)  # refuses a cycle before anything is written
    rel = _target(project, args.output)
    path = project.root / rel
    if path.exists() and not path.read_text(encoding="utf-8", errors="replace").startswith(MARKER):
        raise GalleyError(
            f"{rel} exists and galley did not write it; galley never replaces it: move it, or "
            f"write galley's rules elsewhere (--output workflow/galley.smk) and `include:` them"
        )
    write_text(path, snakefile(steps))
    count = f"{len(steps)} step{'s' if len(steps) != 1 else ''}"
    sys.stderr.write(f"galley: wrote {rel} ({count}); run it with:\n")
    sys.stderr.write(f"  {_command(project, rel)}\n")
    return 0


def _command(project: Project, rel: PurePosixPath) -> str:
    """How to run the file: plain `snakemake` finds it, unless it is elsewhere or another
    Snakefile comes first in Snakemake's search."""
    found = next((name for name in SNAKEMAKE_DEFAULTS if (project.root / name).is_file()), None)
    return "snakemake --cores all" + ("" if found == rel.as_posix() else f" -s {rel}")
