"""Incremental builds: a step reruns when, and only when, something it declared changed."""

from __future__ import annotations

import json
import platform
from importlib import metadata

from galley.steps import run_steps, stale_steps
from tests.conftest import galley
from tests.steps.conftest import MakeProject, quiet


def test_first_build_runs_every_step_in_dependency_order(make_project: MakeProject) -> None:
    project = make_project()
    report = run_steps(project, log=quiet)
    assert sorted(report.ran) == ["one", "three", "two"]
    assert report.ran.index("one") < report.ran.index("three")
    assert (project.root / "out/three.txt").read_text() == "NAME\nALPHA\n"


def test_unchanged_tree_reruns_nothing(make_project: MakeProject) -> None:
    project = make_project()
    run_steps(project, log=quiet)
    report = run_steps(project, log=quiet)
    assert report.ran == []
    assert sorted(report.skipped) == ["one", "three", "two"]
    assert stale_steps(project) == []


def test_data_change_reruns_exactly_the_dependent_steps(make_project: MakeProject) -> None:
    project = make_project()
    run_steps(project, log=quiet)
    (project.root / "data/a.csv").write_text("name\ngamma\n")
    assert stale_steps(project) == [
        ("one", "input `data/a.csv` changed"),
        ("three", "depends on stale step `one`"),
    ]
    report = run_steps(project, log=quiet)
    assert report.ran == ["one", "three"]
    assert (project.root / "out/three.txt").read_text() == "NAME\nGAMMA\n"


def test_script_change_reruns_only_its_step(make_project: MakeProject) -> None:
    project = make_project()
    run_steps(project, log=quiet)
    script = project.root / "scripts/two.py"
    script.write_text(script.read_text() + "# a comment\n")
    assert stale_steps(project) == [("two", "script `scripts/two.py` changed")]
    assert run_steps(project, log=quiet).ran == ["two"]


def test_upstream_rerun_with_same_output_leaves_downstream_alone(
    make_project: MakeProject,
) -> None:
    project = make_project()
    run_steps(project, log=quiet)
    (project.root / "data/a.csv").write_text("NAME\nALPHA\n")  # upper-cases to the same text
    assert run_steps(project, log=quiet).ran == ["one"]


def test_missing_output_is_rebuilt(make_project: MakeProject) -> None:
    project = make_project()
    run_steps(project, log=quiet)
    (project.root / "out/two.txt").unlink()
    assert stale_steps(project) == [("two", "output `out/two.txt` is missing")]
    assert run_steps(project, log=quiet).ran == ["two"]


def test_force_reruns_everything(make_project: MakeProject) -> None:
    project = make_project()
    run_steps(project, log=quiet)
    report = run_steps(project, force=True, log=quiet)
    assert sorted(report.ran) == ["one", "three", "two"]
    assert {o.reason for o in report.outcomes} == {"forced (--force)"}


def test_declared_environment_is_part_of_the_record(make_project: MakeProject) -> None:
    steps = '[tool.galley.steps.one]\nscript = "scripts/one.py"\ninputs = ["data/a.csv"]\n'
    steps += 'outputs = ["out/one.txt"]\nenv = ["pyyaml"]\n'
    project = make_project(steps)
    run_steps(project, log=quiet)
    cache = json.loads((project.root / ".galley/cache/steps.json").read_text())
    env = cache["steps"]["one"]["env"]
    assert env == {"python": platform.python_version(), "pyyaml": metadata.version("pyyaml")}
    assert stale_steps(project) == []


def test_status_command_reports_stale_steps_and_then_up_to_date(
    make_project: MakeProject,
) -> None:
    project = make_project()
    before = galley("status", cwd=project.root)
    assert before.returncode == 0, before.stderr
    assert "3 steps would run:" in before.stdout
    assert "one    never built" in before.stdout
    run_steps(project, log=quiet)
    after = galley("status", cwd=project.root)
    assert "would run" not in after.stdout  # the article itself is not rendered yet
    assert "would render:" in after.stdout


def test_no_declared_steps_is_nothing_to_do(make_project: MakeProject) -> None:
    project = make_project(steps="")
    assert run_steps(project, log=quiet).outcomes == []
    assert stale_steps(project) == []
    result = galley("status", cwd=project.root)
    assert result.returncode == 0
    assert "would run" not in result.stdout
