"""Table Schema `pattern`s, run with a time bound before frictionless runs them without one.

frictionless matches a string field's `pattern` with Python's backtracking `re` (as
`re.compile(f"^{pattern}$").match(value)`, frictionless/schema/field.py), with no limit: a common
slug pattern such as `^([a-z0-9]+-?)+$` takes minutes on one 38-character value. galley matches
each value first, the same way, in a process of its own, and stops it when one value takes
longer than LIMIT seconds: that value is the problem reported, with its line, and frictionless
does not run. Once every value has matched in time, frictionless's own pass over them is known
to end. (RE2, which never backtracks, would read the patterns differently from frictionless:
it lacks backreferences and lookaround.)
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

from galley.steps.problem import Problem

LIMIT = 2.0  # seconds for one value: a pattern that ends at all takes microseconds
# The child: one JSON job [pattern, value] a line in, one answer a line out, at once.
CHILD = """
import json, re, sys
compiled = {}
for line in sys.stdin:
    pattern, value = json.loads(line)
    if pattern not in compiled:
        compiled[pattern] = re.compile("^{0}$".format(pattern))
    sys.stdout.write("1\\n" if compiled[pattern].match(value) else "0\\n")
    sys.stdout.flush()
"""


def _jobs(
    schema: dict[str, Any], records: list[tuple[int, list[str]]]
) -> Iterator[tuple[str, str, str, int]]:
    """(field name, pattern, value, line) for every value a string field's pattern checks; the
    header is the first record."""
    default_missing = schema.get("missingValues", [""])
    for column, field in enumerate(schema["fields"]):
        pattern = field.get("constraints", {}).get("pattern")
        if pattern is None or field.get("type", "string") != "string":
            continue
        missing = {str(m) for m in field.get("missingValues", default_missing)}
        for line, row in records[1:]:
            if column < len(row) and row[column] not in missing:
                yield str(field["name"]), str(pattern), row[column], line


def slow_patterns(
    schema: dict[str, Any], records: list[tuple[int, list[str]]], shown: str
) -> list[Problem]:
    """The value a pattern takes longer than LIMIT seconds on, as a problem (or none)."""
    jobs = list(_jobs(schema, records))
    if not jobs:
        return []
    child = subprocess.Popen(
        [sys.executable, "-I", "-S", "-c", CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    answers: queue.Queue[str] = queue.Queue()
    assert child.stdin is not None and child.stdout is not None
    stdin, stdout = child.stdin, child.stdout

    def feed() -> None:
        try:
            for _, pattern, value, _ in jobs:
                stdin.write(json.dumps([pattern, value]) + "\n")
            stdin.close()
        except (BrokenPipeError, OSError):
            pass  # the child was stopped: its slow value is being reported

    def read() -> None:
        for answer in stdout:
            answers.put(answer)
        answers.put("")  # the child ended: frictionless reports why, if anything is wrong

    threading.Thread(target=feed, daemon=True).start()
    threading.Thread(target=read, daemon=True).start()
    try:
        for name, pattern, value, line in jobs:
            try:
                if not answers.get(timeout=LIMIT):
                    return []
            except queue.Empty:
                shown_value = value if len(value) <= 40 else value[:40] + "…"
                return [
                    Problem(
                        shown,
                        line,
                        f"column {name}: the pattern `{pattern}` takes longer than {LIMIT:g} s "
                        f'on "{shown_value}" (galley stops a Table Schema pattern after '
                        f"{LIMIT:g} s a value; frictionless would not); write it without "
                        "nested repetition, such as `^[a-z0-9]+(-[a-z0-9]+)*$` for `^([a-z0-9]+-?)+$`",
                    )
                ]
        return []
    finally:
        child.kill()
        child.wait()
