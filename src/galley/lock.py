"""One build at a time per project: a second `galley build` (or `refs`, `diff`, a preview's
rebuild) gets a clear message naming the command that holds the project, not a race."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from filelock import FileLock, Timeout

from galley.errors import GalleyError

LOCK_FILE = "build.lock"
# Who holds the lock (its pid, then its command), for the second command's message. A file of
# its own: on Windows the lock file's locked byte cannot be read by another process.
HOLDER_FILE = "build.pid"


@contextmanager
def project_lock(cache_dir: Path, command: str = "build") -> Iterator[None]:
    """Hold `.galley/build.lock` while `galley <command>` writes; the OS releases it if the
    process dies."""
    if cache_dir.exists() and not cache_dir.is_dir():
        raise GalleyError(
            "galley keeps its caches in this folder, but it is a file; move or delete it, then "
            "build again",
            path=cache_dir.name,
        )
    cache_dir.mkdir(parents=True, exist_ok=True)
    path, holder = cache_dir / LOCK_FILE, cache_dir / HOLDER_FILE
    lock = FileLock(path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        pid, other = _holder(holder)
        raise GalleyError(
            f"another `galley {other}` is running on this project (pid {pid}); wait for it to "
            f"finish, then run `galley {command}` again",
            path=path,
        ) from None
    try:
        holder.write_text(f"{os.getpid()}\n{command}\n", encoding="utf-8")
        yield
    finally:
        with suppress(OSError):  # gone already, or not ours to remove: the next holder rewrites it
            holder.unlink()
        lock.release()


def _holder(holder: Path) -> tuple[str, str]:
    """The holder's pid and command; ("unknown", "build") in the instant before it wrote them."""
    try:
        lines = holder.read_text(encoding="utf-8").split()
    except OSError:
        lines = []
    return (lines[0] if lines else "unknown", lines[1] if len(lines) > 1 else "build")
