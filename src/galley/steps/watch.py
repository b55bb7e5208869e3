"""Files a step changed in the project behind galley's back.

A script is to write under `$GALLEY_OUTPUT_ROOT`, where galley checks and moves its declared
outputs. One that writes into the project directly bypasses both; a snapshot of the project's
files (size and modification time) before and after the steps shows it.
"""

from __future__ import annotations

import os
from pathlib import Path

from galley.project import Project

# Folders no step output lives in: caches and tools' own folders.
SKIPPED_FOLDERS = frozenset({"__pycache__", "node_modules"})

Snapshot = dict[str, tuple[int, int]]


def snapshot(project: Project) -> Snapshot:
    """Project-relative path -> (size, mtime in ns), outside hidden folders and the outputs."""
    skipped = {project.output_dir.resolve(), project.cache_dir.resolve()}
    files: Snapshot = {}
    for folder, subfolders, names in os.walk(project.root):
        subfolders[:] = [
            name
            for name in subfolders
            if not name.startswith(".")
            and name not in SKIPPED_FOLDERS
            and Path(folder, name).resolve() not in skipped
        ]
        for name in names:
            path = Path(folder, name)
            try:
                status = path.stat()
            except OSError:
                continue  # vanished meanwhile
            files[path.relative_to(project.root).as_posix()] = (status.st_size, status.st_mtime_ns)
    return files


def written_outside(before: Snapshot, after: Snapshot, declared: set[str]) -> list[str]:
    """Files created or changed between the snapshots that no step declares as an output."""
    return sorted(p for p, sig in after.items() if p not in declared and before.get(p) != sig)
