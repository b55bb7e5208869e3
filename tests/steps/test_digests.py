"""A step's files are not read again while their size, modification time and inode are those
their digest was taken with, and they had not been modified for two seconds when it was taken
(.galley/cache/digests.json); a file written in the instant it was read is always read again."""

from __future__ import annotations

import os
import time
from pathlib import Path

from galley.steps import run_steps
from tests.steps.conftest import MakeProject, quiet


def same_size_edit(path: Path, mtime_ns: int) -> None:
    """New bytes of the same length, with the old modification time put back (as a file system
    whose clock ticks in whole seconds would show an edit within the same second)."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("alpha", "gamma"), encoding="utf-8")
    os.utime(path, ns=(mtime_ns, mtime_ns))


def test_an_input_edited_in_the_instant_it_was_read_is_read_again(
    make_project: MakeProject,
) -> None:
    project = make_project()
    data = project.root / "data" / "a.csv"
    assert run_steps(project, log=quiet).ran == ["one", "two", "three"]
    same_size_edit(data, data.stat().st_mtime_ns)  # written just now: within two seconds

    assert run_steps(project, log=quiet).ran == ["one", "three"]
    assert (project.root / "out" / "three.txt").read_text(encoding="utf-8") == "NAME\nGAMMA\n"


def test_an_input_unchanged_since_long_before_is_taken_from_its_digest(
    make_project: MakeProject,
) -> None:
    project = make_project()
    data = project.root / "data" / "a.csv"
    old = time.time_ns() - 10_000_000_000
    os.utime(data, ns=(old, old))
    assert run_steps(project, log=quiet).ran == ["one", "two", "three"]
    # Not read again: its size, time and inode are those recorded, and it was settled then.
    # (An edit that puts the old time back by hand is the one thing this cannot see.)
    same_size_edit(data, old)
    assert run_steps(project, log=quiet).ran == []
    os.utime(data)  # any real edit moves the modification time
    assert run_steps(project, log=quiet).ran == ["one", "three"]
