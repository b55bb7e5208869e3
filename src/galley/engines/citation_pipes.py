"""The two pipes through which the formats' pandoc runs render the citations once: the first
citing format's citations.lua says on one that it has rendered them, and galley then opens the
other, on which the formats after it wait (citations.lua's `release` and `wait_for_first`).
Both are named to pandoc as `/dev/fd/N` and handed to the one run that uses each."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def citations_gate() -> Iterator[tuple[int, Callable[[], None]]]:
    """A pipe whose reading end the formats that wait for the citations read to its end: the
    descriptor they get, and what opens the gate (closing the writing end; at the latest on
    leaving, whatever happened)."""
    read_end, write_end = os.pipe()
    closed = False

    def open_gate() -> None:
        nonlocal closed
        if not closed:
            os.close(write_end)
            closed = True

    try:
        yield read_end, open_gate
    finally:
        open_gate()
        os.close(read_end)


@contextmanager
def citations_ready() -> Iterator[tuple[int, Callable[[], bool], Callable[[], None]]]:
    """A pipe on which the first citing format's citations.lua writes a byte once it has
    rendered the citations: its writing end (handed to that run alone), what waits for that byte
    or for the pipe's end, and what ends it on galley's side once that run is over (the run may
    fail before it writes; its own end closes as it exits). Waiting on the pipe, not polling
    for a mark in a file, costs no CPU while pandoc renders, and the gate opens at once."""
    read_end, write_end = os.pipe()
    lock = threading.Lock()
    ended = False

    def end_ready() -> None:
        nonlocal ended
        with lock:
            if not ended:
                os.close(write_end)
                ended = True

    def said() -> bool:
        return os.read(read_end, 1) != b""  # a byte, or b"" once no one can write one

    try:
        yield write_end, said, end_ready
    finally:
        end_ready()
        os.close(read_end)
