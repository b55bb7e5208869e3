"""Expected user errors and the one handler that turns them into a message and an exit code.

Exit codes: 0 success, 1 a user error (bad input, failed render), 2 a usage or configuration
problem, 3 a bug in galley, 130 interrupted.
"""

from __future__ import annotations

import errno
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

EXIT_ERROR = 1
EXIT_CONFIG = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130
# What the machine refused, by kind: a full disk, a file too large, a read-only file system, or
# no permission (to read a file, or to write into a folder). The user's to fix, not a bug,
# wherever in galley the read or write happened.
DENIED = frozenset({errno.EACCES, errno.EPERM})
FILE_FAILURES = DENIED | {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS}


class GalleyError(Exception):
    """An error the user can fix; its message says what failed, where, and what to do."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        super().__init__(self.location_prefix() + message)

    def location_prefix(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}: " if self.line else f"{self.path}: "


class ConfigError(GalleyError):
    """The project's configuration cannot be read or makes no sense."""

    exit_code = EXIT_CONFIG


class ToolError(GalleyError):
    """An external tool (pandoc, Typst, Quarto, a figure script) failed."""


@contextmanager
def error_handler(write: Callable[[str], object] = sys.stderr.write) -> Iterator[list[int]]:
    """Run a command body; put its exit code in the yielded list, never let a traceback escape
    for an expected error."""
    code = [0]
    try:
        yield code
    except GalleyError as exc:
        write(f"galley: error: {exc}\n")
        code[0] = exc.exit_code
    except KeyboardInterrupt:
        write("galley: interrupted\n")
        code[0] = EXIT_INTERRUPTED
    except OSError as exc:
        if exc.errno not in FILE_FAILURES:
            _report_bug(write)
            code[0] = EXIT_BUG
            return
        write(f"galley: error: {file_failure(exc)}\n")
        code[0] = EXIT_ERROR
    except Exception:
        _report_bug(write)
        code[0] = EXIT_BUG


def file_failure(exc: OSError) -> str:
    """What the machine refused with a file, and what to do: permission, full disk, read-only."""
    target = exc.filename2 or exc.filename  # a copy names its source first
    name = _shown(str(target)) if target else "a file"
    if exc.errno in DENIED:
        blocked = _unreadable(str(target)) if target else None
        if blocked is not None:
            return cannot_read(blocked)
        return (
            f"cannot write {name}: permission denied; make its folder writable for your user "
            "(or build as the folder's owner), then run galley again"
        )
    if exc.errno == errno.EROFS:
        return (
            f"cannot write {name}: the file system is read-only; build in a folder you can write to"
        )
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return f"cannot write {name}: {exc.strerror}; free some disk space, then run galley again"
    return f"cannot write {name}: {exc.strerror}; check the folder, then run galley again"


def cannot_read(path: str) -> str:
    name = _shown(path)
    mode = "u+rx" if os.path.isdir(path) else "u+r"
    return (
        f"cannot read {name}: permission denied; make it readable for your user "
        f"(e.g. `chmod {mode} {name}`, or build as its owner), then run galley again"
    )


def _unreadable(target: str) -> str | None:
    """The file, or the folder on its way, that the user may not read; None if it is not that
    (a write was refused)."""
    path = Path(target)
    for candidate in (path, *path.parents):
        if os.path.lexists(candidate):
            access = os.R_OK if candidate == path else os.R_OK | os.X_OK
            return None if os.access(candidate, access) else str(candidate)
    return None


def _shown(path: str) -> str:
    """A path under the current folder as a relative one, as the user would type it."""
    try:
        relative = os.path.relpath(path)
    except OSError:  # the current folder is gone
        return path
    return path if relative.startswith("..") else relative


def _report_bug(write: Callable[[str], object]) -> None:
    write(traceback.format_exc())
    write(
        "galley: internal error (a bug in galley, not in your manuscript). "
        "Please report it with the traceback above and the output of `galley doctor`.\n"
    )
