"""The SHA-256 of the steps' files, remembered by file identity in `.galley/cache/digests.json`,
so a build with nothing to do does not read every script, input and output again (800 files in
a book of 200 steps).

A remembered digest is used only while the file's size, modification time (ns) and inode are
the ones it was taken with, and when the file had last been modified at least RACY_NS before the
digest was taken: a file written in the instant it was read, or on a file system whose clock
ticks in whole seconds (or two, on FAT), could change again without its time changing (git's
"racy clean" rule). Any doubt means reading the file.
"""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path
from typing import Any

from galley.project import Project
from galley.util import json_cache

CACHE_NAME = "digests.json"
# Each file's [size, modification time (ns), inode, SHA-256, when the digest was taken (ns)].
SHAPE = json_cache.Map(json_cache.Row((int, int, int, str, int)))
RACY_NS = 2_000_000_000


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


class Digests:
    """Digests of files under the project, remembered between builds; `save` keeps them."""

    def __init__(self, project: Project) -> None:
        self.root = project.root
        self.path = project.cache_dir / "cache" / CACHE_NAME
        self.known: dict[str, Any] = json_cache.load(self.path, SHAPE)
        self.changed = False
        self.lock = threading.Lock()  # steps are checked in parallel

    def of(self, full: Path) -> str:
        """The SHA-256 of the file at `full` (which exists)."""
        info = full.stat()
        key = full.relative_to(self.root).as_posix() if full.is_relative_to(self.root) else None
        identity = [info.st_size, info.st_mtime_ns, info.st_ino]
        entry = self.known.get(key) if key else None
        if entry is not None and entry[:3] == identity and entry[4] - info.st_mtime_ns >= RACY_NS:
            return str(entry[3])
        taken = time.time_ns()
        digest = sha256(full)
        if key:
            with self.lock:
                self.known[key] = [*identity, digest, taken]
                self.changed = True
        return digest

    def save(self) -> None:
        if self.changed:
            json_cache.save(self.path, self.known)
