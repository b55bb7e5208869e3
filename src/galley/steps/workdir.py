"""The folder a step's script runs in, and what it wrote there or over its own outputs.

A script's working folder is a fresh folder in the staging area that looks like the project
for reading: each entry of the project is a symbolic link to the real one, except the folders
that hold declared outputs, which are real folders (their other entries linked in turn) without
this step's own outputs. So a relative read (`data/a.csv`) finds the project's file, while a
relative write (`notes.txt`, `figures/out.png`) lands in the working folder, where galley sees
it and the project never does. A write by absolute path over one of the step's declared outputs
shows as a change of that file while the step ran.

Nothing else is watched: a file another program writes meanwhile (`galley build > build.log`,
an editor saving) is never the step's, and the cost depends on the output folders only.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from galley.project import Project
from galley.steps.config import Step

Signature = tuple[int, int, int] | None  # size, mtime in ns, inode; None when absent


def output_folders(outputs: list[str]) -> set[PurePosixPath]:
    """Every folder holding a declared output, and the folders above it (not the root)."""
    folders: set[PurePosixPath] = set()
    for output in outputs:
        folders.update(p for p in PurePosixPath(output).parents if p != PurePosixPath("."))
    return folders


def prepare(project: Project, step: Step, folders: set[PurePosixPath], work: Path) -> None:
    """Lay out `work` as the step's working folder (see the module's docstring)."""
    skipped = {project.cache_dir.resolve(), project.output_dir.resolve()}
    own = {PurePosixPath(output) for output in step.outputs}

    def fill(rel: PurePosixPath) -> None:
        (work / rel).mkdir(parents=True, exist_ok=True)
        source = project.root / rel
        if not source.is_dir():
            return
        for entry in os.scandir(source):
            child = rel / entry.name
            if child in own or Path(entry.path).resolve() in skipped:
                continue
            if child in folders and entry.is_dir(follow_symlinks=False):
                fill(child)
            else:
                (work / child).symlink_to(entry.path)

    fill(PurePosixPath("."))
    for folder in folders:
        (work / folder).mkdir(parents=True, exist_ok=True)


def written_files(work: Path) -> list[str]:
    """The files the script created in its working folder (the links are galley's)."""
    found = []
    for folder, _, names in os.walk(work):  # does not follow the links into the project
        for name in names:
            path = Path(folder, name)
            if not path.is_symlink():
                found.append(path.relative_to(work).as_posix())
    return sorted(found)


def signatures(project: Project, step: Step) -> dict[str, Signature]:
    """The step's declared outputs in the project as they are now."""
    result: dict[str, Signature] = {}
    for output in step.outputs:
        try:
            status = (project.root / output).stat()
        except OSError:
            result[output] = None
            continue
        result[output] = (status.st_size, status.st_mtime_ns, status.st_ino)
    return result
