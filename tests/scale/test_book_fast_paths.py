"""The no-op and edit paths of a long book stay cheap without changing what they decide: the
project lock taken with `flock` directly (filelock is not imported) still excludes filelock's,
which Windows and a file system without `flock` use."""

from __future__ import annotations

from pathlib import Path

import pytest
from filelock import FileLock, Timeout

from galley.errors import GalleyError
from galley.lock import LOCK_FILE, project_lock


def test_a_lock_filelock_holds_keeps_a_build_out(tmp_path: Path) -> None:
    held = FileLock(tmp_path / LOCK_FILE, timeout=0)
    held.acquire()
    try:
        with (
            pytest.raises(GalleyError, match="another `galley build` is running"),
            project_lock(tmp_path),
        ):
            pass
    finally:
        held.release()
    with project_lock(tmp_path):  # free again once filelock let go
        pass


def test_a_build_holding_the_lock_keeps_filelock_out(tmp_path: Path) -> None:
    with project_lock(tmp_path), pytest.raises(Timeout):
        FileLock(tmp_path / LOCK_FILE, timeout=0).acquire()
    FileLock(tmp_path / LOCK_FILE, timeout=0).acquire()  # released when the build ends
