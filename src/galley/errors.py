"""Expected user errors and the one handler that turns them into a message and an exit code.

Exit codes: 0 success, 1 a user error (bad input, failed render), 2 a usage or configuration
problem, 3 a bug in galley, 130 interrupted.
"""

from __future__ import annotations

import errno
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

EXIT_ERROR = 1
EXIT_CONFIG = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130
# A write the machine refused (disk full, file too large, read-only or forbidden folder): the
# user's to fix, not a bug, wherever in galley the write happened.
WRITE_FAILURES = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM}
)


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
        if exc.errno not in WRITE_FAILURES:
            _report_bug(write)
            code[0] = EXIT_BUG
            return
        target = exc.filename2 or exc.filename  # a copy names its source first
        where = f" {target}" if target else ""
        write(
            f"galley: error: cannot write{where}: {exc.strerror}; free some disk space or check "
            "the folder's permissions, then run galley again\n"
        )
        code[0] = EXIT_ERROR
    except Exception:
        _report_bug(write)
        code[0] = EXIT_BUG


def _report_bug(write: Callable[[str], object]) -> None:
    write(traceback.format_exc())
    write(
        "galley: internal error (a bug in galley, not in your manuscript). "
        "Please report it with the traceback above and the output of `galley doctor`.\n"
    )
