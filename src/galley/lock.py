"""One build at a time per project: a second `galley build` gets a clear message, not a race."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from galley.errors import GalleyError


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
    path = cache_dir / "build.lock"
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise GalleyError(
                f"another galley build is running on this project (pid {holder}); "
                "wait for it to finish, then build again",
                path=path,
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
