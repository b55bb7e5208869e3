"""What the preview watches: the folders of everything a build reads (the project's own files,
the article's folder, the bibliographies and style, each step's script and inputs), without the
outputs galley writes itself, so a rebuild never triggers the next one."""

from __future__ import annotations

import os
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path

from watchfiles import Change, watch

from galley.project import Project

# Folders never read by a build: tools' and editors' own, and Python's byte code.
SKIPPED_DIRS = frozenset(
    {"__pycache__", "node_modules", ".git", ".venv", "venv", ".ipynb_checkpoints"}
)
# Editors' scratch files: Vim's swap files and its `4913` probe, Emacs' `#x#` and backups `x~`.
SCRATCH_SUFFIXES = (".swp", ".swx", ".swo", "~", ".tmp")


class Watched:
    """The folders to watch and which changes in them matter."""

    def __init__(self, project: Project, also_read: Iterable[Path] = ()):
        self.project = project
        self.also_read = list(also_read)  # what the last build read (the article's includes…)
        self.ignored = [project.output_dir.resolve(), project.cache_dir.resolve()]
        self.outputs = {(project.root / out).resolve() for out in _step_outputs(project)}
        self.folders = sorted(self._folders())

    def _folders(self) -> set[Path]:
        project = self.project
        read = [project.article, *project.bibliographies, *([project.csl] if project.csl else [])]
        read += [*step_reads(project), *self.also_read]
        # The project folder itself (not its subfolders: `.venv`, `tests`… are not the paper's),
        # and each folder holding something a build reads, with its subfolders.
        folders = {project.root.resolve()}
        for path in read:
            parent = path.resolve().parent
            if parent != project.root.resolve() and parent.is_dir():
                folders.update(self._tree(parent))
        return folders

    def _tree(self, top: Path) -> Iterator[Path]:
        for folder, subfolders, _ in os.walk(top):
            here = Path(folder)
            subfolders[:] = [
                name
                for name in subfolders
                if name not in SKIPPED_DIRS and not self._is_ignored(here / name)
            ]
            yield here

    def _is_ignored(self, path: Path) -> bool:
        return any(path == top or path.is_relative_to(top) for top in self.ignored)

    def matters(self, change: Change, path: str) -> bool:
        """watchfiles' filter: a change to a file a build may read."""
        name = os.path.basename(path)
        if name.startswith((".#", "#")) or name.endswith(SCRATCH_SUFFIXES) or name == "4913":
            return False
        resolved = Path(path).resolve()
        return not (
            self._is_ignored(resolved)
            or resolved in self.outputs
            or any(part in SKIPPED_DIRS for part in resolved.parts)
        )

    def changes(self) -> Generator[set[tuple[Change, str]], None, None]:
        """Each batch of changes that matter, until Ctrl-C (KeyboardInterrupt).

        A batch is yielded once 30 ms pass without another change (an editor's save is often a
        write and a rename), so the rebuild starts right after the save.
        An empty batch comes every second without changes: the first one says the watcher is
        running, so nothing saved after it is missed."""
        yield from watch(
            *self.folders,
            watch_filter=self.matters,
            recursive=False,
            step=30,
            rust_timeout=1000,
            yield_on_timeout=True,
        )


def _step_tables(project: Project) -> list[dict[str, object]]:
    steps = project.galley.get("steps")
    return [t for t in steps.values() if isinstance(t, dict)] if isinstance(steps, dict) else []


def step_reads(project: Project) -> set[Path]:
    """Every step's script and inputs, as declared (read leniently: the build reports mistakes)."""
    return {
        (project.root / path).resolve()
        for table in _step_tables(project)
        for path in [table.get("script"), *_strings(table.get("inputs"))]
        if isinstance(path, str)
    }


def _step_outputs(project: Project) -> list[str]:
    return [path for table in _step_tables(project) for path in _strings(table.get("outputs"))]


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
