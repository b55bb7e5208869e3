"""A failing or misdeclared step stops the build with a message that says what to do, and
leaves the previous outputs and no temporary files behind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from galley.errors import ConfigError, ToolError
from galley.steps import run_steps
from tests.steps.conftest import CHAIN_FILES, COPY_SCRIPT, MakeProject, quiet, reload

CHAIN_FILES_TWO = CHAIN_FILES["scripts/two.py"]

CRASH = """
import os, pathlib, sys
root = pathlib.Path(os.environ["GALLEY_OUTPUT_ROOT"])
(root / "out/two.txt").write_text("half-writ")
for n in range(30):
    print(f"progress line {n}", file=sys.stderr)
sys.exit(3)
"""


def leftovers(project_root: Path) -> list[str]:
    tmp = project_root / ".galley/tmp"
    return sorted(p.name for p in tmp.iterdir()) if tmp.is_dir() else []


def test_crash_keeps_old_outputs_and_names_script_exit_code_and_stderr_tail(
    make_project: MakeProject,
) -> None:
    project = make_project()
    run_steps(project, log=quiet)
    (project.root / "scripts/two.py").write_text(CRASH)
    with pytest.raises(ToolError) as caught:
        run_steps(project, log=quiet)
    message = str(caught.value)
    assert message.startswith(
        "scripts/two.py: step `two` failed: `python scripts/two.py` exited with code 3; "
        "previous outputs are unchanged. Last lines of stderr:\n"
    )
    assert "progress line 29" in message and "progress line 10" in message
    assert "progress line 9\n" not in message  # only the last 20 lines
    assert (project.root / "out/two.txt").read_text() == "NAME\nBETA\n"
    assert leftovers(project.root) == []


def test_crash_is_retried_on_the_next_build(make_project: MakeProject) -> None:
    project = make_project()
    script = project.root / "scripts/two.py"
    good = script.read_text()
    script.write_text(CRASH)
    with pytest.raises(ToolError):
        run_steps(project, log=quiet)
    script.write_text(good)
    assert "two" in run_steps(project, log=quiet).ran


def test_timeout_stops_the_script_and_says_how_to_raise_it(make_project: MakeProject) -> None:
    steps = '[tool.galley.steps.slow]\nscript = "scripts/slow.py"\noutputs = ["out/slow.txt"]\n'
    steps += "timeout = 0.5\n"
    project = make_project(steps, {"scripts/slow.py": "import time\ntime.sleep(30)\n"})
    with pytest.raises(ToolError, match=r"step `slow` timed out after 0.5 s and was stopped"):
        run_steps(project, log=quiet)
    assert leftovers(project.root) == []


def test_undeclared_output_is_refused_and_nothing_is_moved(make_project: MakeProject) -> None:
    extra = CHAIN_FILES_TWO + '(root / "out/extra.txt").write_text("surprise")\n'
    project = make_project(files={"scripts/two.py": extra})
    with pytest.raises(
        ToolError,
        match=re.escape(
            "scripts/two.py: step `two` wrote undeclared output `out/extra.txt`; declare it in "
            "outputs of [tool.galley.steps.two] in pyproject.toml, or stop writing it"
        ),
    ):
        run_steps(project, log=quiet)
    assert not (project.root / "out/two.txt").exists()
    assert not (project.root / "out/extra.txt").exists()


def test_missing_declared_output_is_an_error(make_project: MakeProject) -> None:
    project = make_project(files={"scripts/two.py": "print('forgot to write')\n"})
    with pytest.raises(ToolError, match=r"did not write its declared output `out/two.txt`"):
        run_steps(project, log=quiet)


def test_cycle_is_refused_before_anything_runs(make_project: MakeProject) -> None:
    steps = """
    [tool.galley.steps.one]
    script = "scripts/one.py"
    inputs = ["out/three.txt"]
    outputs = ["out/one.txt"]

    [tool.galley.steps.three]
    script = "scripts/three.py"
    inputs = ["out/one.txt"]
    outputs = ["out/three.txt"]
    """
    project = make_project(steps)
    with pytest.raises(ConfigError, match=r"the steps form a cycle \(`(one|three)` -> `"):
        run_steps(project, log=quiet)
    assert not (project.root / "out").exists()


def test_two_steps_writing_one_file_are_refused(make_project: MakeProject) -> None:
    steps = """
    [tool.galley.steps.one]
    script = "scripts/one.py"
    outputs = ["out/one.txt"]

    [tool.galley.steps.two]
    script = "scripts/two.py"
    outputs = ["out/one.txt"]
    """
    project = make_project(steps)
    with pytest.raises(ConfigError) as caught:
        run_steps(project, log=quiet)
    assert str(caught.value) == (
        "pyproject.toml:8: [tool.galley.steps.two]: output `out/one.txt` is also written by "
        "step `one`; each file must have one writer"
    )


def test_unknown_key_is_reported_with_line(make_project: MakeProject) -> None:
    steps = '\n[tool.galley.steps.one]\nscript = "scripts/one.py"\noutptus = ["out/one.txt"]\n'
    project = make_project(steps)
    with pytest.raises(ConfigError) as caught:
        run_steps(project, log=quiet)
    assert str(caught.value) == (
        "pyproject.toml:4: [tool.galley.steps.one]: unknown key `outptus`; "
        "the known keys are script, inputs, outputs, env, timeout, resources, container"
    )


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('inputs = ["data/a.csv"]\noutputs = ["x"]', "no `script`; name the file"),
        ('script = "scripts/nope.py"\noutputs = ["x"]', "script `scripts/nope.py` does not exist"),
        (
            'script = "scripts/one.py"\ninputs = ["out/x"]\noutputs = ["out/x"]',
            "`out/x` is both read and written",
        ),
        (
            'script = "scripts/one.py"\ninputs = ["data/none.csv"]\noutputs = ["x"]',
            "input `data/none.csv` does not exist and no step writes it",
        ),
        ('script = "scripts/one.py"\noutputs = ["../x"]', "must be relative to the project"),
    ],
)
def test_bad_declarations_are_refused(make_project: MakeProject, table: str, message: str) -> None:
    project = make_project("[tool.galley.steps.one]\n" + table + "\n")
    with pytest.raises(ConfigError, match=re.escape(message)):
        run_steps(reload(project), log=quiet)


def test_a_script_writing_beside_its_outputs_is_refused_reaches_nothing_and_reruns(
    make_project: MakeProject,
) -> None:
    steps = """
    [tool.galley.steps.two]
    script = "scripts/two.py"
    inputs = ["data/b.csv"]
    outputs = ["out/two.txt"]
    """
    sneaky = (
        COPY_SCRIPT.format(source="data/b.csv", target="out/two.txt")
        + "pathlib.Path('notes.txt').write_text('written behind galley')\n"
    )
    project = make_project(steps, files={"scripts/two.py": sneaky})
    message = (
        r"scripts/two.py: step `two` wrote `notes.txt` in its working folder, not under "
        r"\$GALLEY_OUTPUT_ROOT \(galley runs each step in a folder of its own: nothing reached "
        r"the project\); write outputs under that folder and declare them in `outputs`"
    )
    with pytest.raises(ToolError, match=message):
        run_steps(project, log=quiet)
    assert not (project.root / "notes.txt").exists()
    with pytest.raises(ToolError, match=message):
        run_steps(project, log=quiet)  # not recorded as done: it runs, and is refused, again


def test_a_script_overwriting_its_output_in_the_project_by_absolute_path_is_refused(
    make_project: MakeProject,
) -> None:
    sneaky = (
        COPY_SCRIPT.format(source="data/b.csv", target="out/two.txt")
        + "direct = pathlib.Path(__file__).parent.parent / 'out' / 'two.txt'\n"
        + "direct.parent.mkdir(exist_ok=True)\n"
        + "direct.write_text('x')\n"
    )
    project = make_project(files={"scripts/two.py": sneaky})
    with pytest.raises(
        ToolError, match=r"step `two` wrote `out/two.txt` into the project directly"
    ):
        run_steps(project, log=quiet)


def test_a_stray_write_while_two_steps_ran_together_names_only_its_step(
    make_project: MakeProject,
) -> None:
    sneaky = (
        COPY_SCRIPT.format(source="data/b.csv", target="out/two.txt")
        + "import time; time.sleep(0.3)\n"
        + "pathlib.Path('notes.txt').write_text('written behind galley')\n"
    )
    slow = COPY_SCRIPT.format(source="data/a.csv", target="out/one.txt") + "time.sleep(0.6)\n"
    project = make_project(
        files={"scripts/two.py": sneaky, "scripts/one.py": "import time\n" + slow}
    )
    with pytest.raises(ToolError, match=r"^scripts/two.py: step `two` wrote `notes.txt`"):
        run_steps(project, log=quiet)
