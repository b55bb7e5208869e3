"""Independent steps run at once, up to `-j` (default: one per core); a step that reads another's
output waits for it; a step declaring `threads` takes that many of the `-j` slots.

Concurrency is proven without timing: each of two steps waits for a file the other writes when
it starts, so they can only both succeed if they ran at the same time, and run one after the
other the first can never see the second's file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from galley.errors import ToolError
from galley.project import Project
from galley.steps import run_steps
from tests.conftest import galley
from tests.steps.conftest import MakeProject, quiet

# Writes `<markers>/<me>`, then waits for `<markers>/<other>` up to `patience` seconds: it
# fails when it ran alone. The markers live outside the project, where galley does not look.
RENDEZVOUS = """
import os, pathlib, sys, time
markers = pathlib.Path({markers!r})
(markers / {me!r}).write_text("started")
deadline = time.monotonic() + {patience}
while not (markers / {other!r}).exists():
    if time.monotonic() > deadline:
        sys.exit("step {me} ran alone: step {other} never started meanwhile")
    time.sleep(0.02)
out = pathlib.Path(os.environ["GALLEY_OUTPUT_ROOT"]) / "out/{me}.txt"
out.parent.mkdir(parents=True, exist_ok=True)
out.write_text("met {other}")
"""

PAIR = """
[tool.galley.steps.left]
script = "scripts/left.py"
outputs = ["out/left.txt"]
{left_extra}
[tool.galley.steps.right]
script = "scripts/right.py"
outputs = ["out/right.txt"]
"""


def rendezvous(
    make_project: MakeProject, markers: Path, patience: float, left_extra: str = ""
) -> Project:
    markers.mkdir()
    files = {
        f"scripts/{me}.py": RENDEZVOUS.format(
            markers=str(markers), me=me, other=other, patience=patience
        )
        for me, other in (("left", "right"), ("right", "left"))
    }
    return make_project(PAIR.format(left_extra=left_extra), files)


def test_independent_steps_run_at_the_same_time(make_project: MakeProject, tmp_path: Path) -> None:
    project = rendezvous(make_project, tmp_path / "markers", patience=60)
    report = run_steps(project, log=quiet, jobs=2)
    assert sorted(report.ran) == ["left", "right"]
    assert (project.root / "out/left.txt").read_text() == "met right"


def test_one_job_runs_steps_one_after_the_other(make_project: MakeProject, tmp_path: Path) -> None:
    project = rendezvous(make_project, tmp_path / "markers", patience=1)
    with pytest.raises(ToolError, match="step left ran alone: step right never started"):
        run_steps(project, log=quiet, jobs=1)


def test_a_step_declaring_threads_takes_that_many_slots(
    make_project: MakeProject, tmp_path: Path
) -> None:
    extra = "resources = { threads = 2 }\n"
    project = rendezvous(make_project, tmp_path / "markers", patience=1, left_extra=extra)
    with pytest.raises(ToolError, match="step left ran alone"):
        run_steps(project, log=quiet, jobs=2)


# `first` writes a token the test chose; `second` reads first's output and fails when it is not
# there yet: galley moves an output into place only after its step finished.
CHAIN = """
[tool.galley.steps.first]
script = "scripts/first.py"
inputs = ["data/token.txt"]
outputs = ["out/first.txt"]

[tool.galley.steps.second]
script = "scripts/second.py"
inputs = ["out/first.txt"]
outputs = ["out/second.txt"]
"""
FIRST = """
import os, pathlib
out = pathlib.Path(os.environ["GALLEY_OUTPUT_ROOT"]) / "out/first.txt"
out.parent.mkdir(parents=True, exist_ok=True)
out.write_text(pathlib.Path("data/token.txt").read_text())
"""
SECOND = """
import os, pathlib, sys
first = pathlib.Path("out/first.txt")
if not first.exists():
    sys.exit("second started before first's output was in place")
out = pathlib.Path(os.environ["GALLEY_OUTPUT_ROOT"]) / "out/second.txt"
out.parent.mkdir(parents=True, exist_ok=True)
out.write_text(first.read_text() + " and second")
"""


def test_a_dependent_step_waits_for_its_input_with_cores_to_spare(
    make_project: MakeProject,
) -> None:
    files = {"data/token.txt": "token-7f3a", "scripts/first.py": FIRST, "scripts/second.py": SECOND}
    project = make_project(CHAIN, files)
    lines: list[str] = []
    report = run_steps(project, log=lines.append, jobs=4)
    assert report.ran == ["first", "second"]
    assert (project.root / "out/second.txt").read_text() == "token-7f3a and second"
    done_first = lines.index(next(line for line in lines if "`first` done" in line))
    assert done_first < lines.index("galley: running step `second` (never built)")


def test_log_has_one_whole_line_per_step_start_and_finish(
    make_project: MakeProject, tmp_path: Path
) -> None:
    project = rendezvous(make_project, tmp_path / "markers", patience=60)
    lines: list[str] = []
    run_steps(project, log=lines.append, jobs=2)
    pattern = re.compile(
        r"galley: running step `(left|right)` \(never built\)|"
        r"galley: step `(left|right)` done in \d+\.\d\d s"
    )
    assert len(lines) == 4 and all(pattern.fullmatch(line) for line in lines), lines


@pytest.mark.parametrize("value", ["0", "-2", "many"])
def test_jobs_must_be_a_whole_number_above_zero(value: str, tmp_path: Path) -> None:
    result = galley("build", "-j", value, cwd=tmp_path)
    assert result.returncode == 2
    assert (
        f"galley build: error: argument -j/--jobs: must be a whole number of steps, 1 or more, "
        f"not '{value}'" in result.stderr
    )
