"""`galley preview` run as the author runs it: the real command line, in a copy of the project,
stopped with Ctrl-C (SIGINT)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

URL = re.compile(r"galley: previewing (http://127\.0\.0\.1:\d+/\S+)")
START_TIMEOUT = 300  # seconds: the first build runs the data steps, on a machine shared by many


class RunningPreview:
    def __init__(self, process: subprocess.Popen[str], url: str):
        self.process = process
        self.url = url
        self.stderr: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr.append(line)

    def stop(self) -> int:
        """Ctrl-C, as in the terminal; the exit code."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=60)
        self._reader.join(timeout=10)
        return code

    def wait_for_log(self, text: str, since: int = 0, timeout: float = 120) -> None:
        """Wait until a line logged after the first `since` lines holds `text`."""
        end = time.monotonic() + timeout
        while not any(text in line for line in self.stderr[since:]):
            assert time.monotonic() < end, f"`{text}` never logged:\n{''.join(self.stderr)}"
            time.sleep(0.05)


def _sigint_as_in_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextmanager
def preview(root: Path, *args: str) -> Iterator[RunningPreview]:
    process = subprocess.Popen(
        [sys.executable, "-m", "galley", "preview", "--port", "0", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUTF8": "1"},
        # As in a terminal, where Ctrl-C reaches a foreground command with SIGINT's default
        # action. A shell without job control (CI running the suite in the background) starts
        # its commands with SIGINT ignored, the child inherits that, and Python then installs no
        # KeyboardInterrupt handler at all (signal module docs).
        preexec_fn=_sigint_as_in_a_terminal,
    )
    assert process.stdout is not None
    running: RunningPreview | None = None
    try:
        first = _first_line(process, START_TIMEOUT)
        match = URL.search(first)
        assert match, f"no URL printed: {first!r}; stderr:\n{process.stderr.read()}"  # type: ignore[union-attr]
        running = RunningPreview(process, match[1])
        yield running
    finally:
        if process.poll() is None:
            if running is not None:
                running.stop()
            else:
                process.kill()
                process.wait()


def _first_line(process: subprocess.Popen[str], timeout: float) -> str:
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout)
    return lines[0] if lines else ""
