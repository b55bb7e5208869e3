"""One build at a time per project: a second `galley build` gets a clear message, not a race."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from filelock import FileLock, Timeout

from galley.errors import GalleyError

LOCK_FILE = "build.lock"
# Who holds the lock, for the second build's message. A file of its own: on Windows the lock
# file's locked byte cannot be read by another process.
HOLDER_FILE = "build.pid"


@contextmanager
def project_lock(cache_dir: Path) -> Iterator[None]:
    """Hold `.galley/build.lock` for the duration; the OS releases it if the process dies."""
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
        raise GalleyError(
            f"another galley build is running on this project (pid {_holder_pid(holder)}); "
            "wait for it to finish, then build again",
            path=path,
        ) from None
    try:
        holder.write_text(str(os.getpid()), encoding="utf-8")
        yield
    finally:
        with suppress(OSError):  # gone already, or not ours to remove: the next holder rewrites it
            holder.unlink()
        lock.release()


def _holder_pid(holder: Path) -> str:
    """The holder's pid, or "unknown" in the instant before it has written it."""
    try:
        return holder.read_text(encoding="utf-8").strip() or "unknown"
    except OSError:
        return "unknown"
