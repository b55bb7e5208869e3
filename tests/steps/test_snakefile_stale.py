"""An exported Snakefile that no longer matches [tool.galley.steps] is named by `galley build`
and `galley status`, with the command that writes it again; one that matches, or a Snakefile
galley did not write, is not mentioned."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import galley
from tests.steps.conftest import MakeProject

STALE = (
    "{path} no longer matches [tool.galley.steps] in pyproject.toml, so Snakemake would run the "
    "old rules; run `galley export snakemake{again}` to write it again"
)


def export(root: Path, *args: str) -> None:
    result = galley("export", "snakemake", *args, cwd=root)
    assert result.returncode == 0, result.stderr


def add_input_to_step_two(root: Path) -> None:
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(
        text.replace('inputs = ["data/b.csv"]', 'inputs = ["data/b.csv", "data/a.csv"]'), "utf-8"
    )


def test_a_current_export_is_not_mentioned(make_project: MakeProject) -> None:
    root = make_project().root
    export(root)
    build = galley("build", "--to", "html", cwd=root)
    assert build.returncode == 0, build.stderr
    assert "Snakefile" not in build.stderr
    assert galley("status", cwd=root).stdout == "everything is up to date\n"


def test_build_and_status_name_an_export_older_than_the_steps(make_project: MakeProject) -> None:
    root = make_project().root
    export(root)
    export(root, "--output", "workflow/galley.smk")
    add_input_to_step_two(root)

    build = galley("build", "--to", "html", cwd=root)

    assert build.returncode == 0, build.stderr
    default = STALE.format(path="workflow/Snakefile", again="")
    other = STALE.format(path="workflow/galley.smk", again=" --output workflow/galley.smk")
    assert f"galley: warning: {default}\n" in build.stderr
    assert f"galley: warning: {other}\n" in build.stderr
    status = galley("status", cwd=root).stdout
    assert status == f"{default}\n{other}\nthe outputs are up to date\n"
    export(root)
    export(root, "--output", "workflow/galley.smk")
    assert galley("status", cwd=root).stdout == "everything is up to date\n"


def test_a_snakefile_galley_did_not_write_is_never_judged(make_project: MakeProject) -> None:
    root = make_project().root
    (root / "Snakefile").write_text("include: 'workflow/galley.smk'\n", encoding="utf-8")
    (root / "workflow").mkdir()
    (root / "workflow" / "own.smk").write_text("rule mine:\n    output: 'x'\n", encoding="utf-8")

    build = galley("build", "--to", "html", cwd=root)

    assert build.returncode == 0, build.stderr
    assert "no longer matches" not in build.stderr
    assert galley("status", cwd=root).stdout == "everything is up to date\n"
