"""Writes that either happen whole or not at all.

A build renders into a staging folder next to the outputs; the files of the formats that
rendered are then moved into place, each with an atomic rename. A format that failed has no file
there, so its previous output stays byte-for-byte as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from galley.errors import GalleyError, file_failure


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically: a reader sees the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_staged(path: Path, data: bytes) -> None:
    """Write `data` into a staging folder (`staging`) plainly, as pandoc writes its outputs
    there: the stage is the build's own until `commit` moves each file into place by atomic
    rename, so a temporary name and an fsync per file (2 ms of CPU for a build's dozen) buy
    nothing there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@contextmanager
def staging(root: Path, prefix: str = "stage-") -> Iterator[Path]:
    """A fresh folder under `root` that is removed afterwards, whatever happens."""
    root.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=root, prefix=prefix))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def remove_leftovers(root: Path, *folders: Path) -> None:
    """Delete what a killed run left: everything under the staging `root`, and the half-written
    `.<name>.*.tmp` files of `write_bytes` in `folders`. Only call it holding the project lock,
    when no other run can be using them."""
    if root.is_dir():
        for child in root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
    for folder in folders:
        if folder.is_dir():
            for stray in folder.glob(".*.tmp"):
                stray.unlink(missing_ok=True)


def commit(stage: Path, dest: Path) -> list[Path]:
    """Move every file of `stage` to the same place under `dest`, each by atomic rename."""
    sources = sorted(p for p in stage.rglob("*") if p.is_file())
    for source in sources:  # before any move: a folder in the way would leave outputs mixed
        target = dest / source.relative_to(stage)
        if target.is_dir() and not target.is_symlink():
            raise GalleyError(
                f"cannot write {target}: a folder of that name is in the way; move or delete it, "
                "then build again (no output was replaced)"
            )
    moved = []
    for source in sources:
        target = dest / source.relative_to(stage)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
        except OSError as exc:
            raise GalleyError(file_failure(exc)) from None
        moved.append(target)
    return moved
