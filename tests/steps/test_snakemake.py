"""`galley export snakemake`: a Snakefile real Snakemake runs to the same bytes as galley's own
runner, whose outputs `galley build` then takes without running the steps again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from galley.project import Project, load_project
from galley.steps import run_steps, stale_steps
from tests.conftest import copy_project, galley
from tests.steps.conftest import CHAIN_FILES, CHAIN_STEPS, MakeProject, quiet, write_project

GENERATED = (
    "figures/prevalence.png", "figures/prevalence.svg", "figures/milestones.png",
    "figures/milestones.svg", "figures/tbl-activities.md", "figures/tbl-sources.md",
    "_variables.yml",
)  # fmt: skip


def snakemake(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Real Snakemake, its jobs' `python` being this test's (with pandas, matplotlib…)."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return subprocess.run(
        [sys.executable, "-m", "snakemake", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": path},
        check=False,
    )


def export_and_run(root: Path, *args: str) -> None:
    exported = galley("export", "snakemake", cwd=root)
    assert exported.returncode == 0, exported.stderr
    ran = snakemake("--cores", "2", *args, cwd=root)
    assert ran.returncode == 0, ran.stdout + ran.stderr


@pytest.mark.slow
def test_snakemake_makes_the_papers_files_byte_for_byte_and_build_runs_no_step(
    tmp_path: Path, built_project: Path
) -> None:
    root = copy_project(tmp_path / "paper")
    export_and_run(root)
    for path in GENERATED:  # built_project's came from galley's own runner
        assert (root / path).read_bytes() == (built_project / path).read_bytes(), path
    build = galley("build", "--to", "html", cwd=root)
    assert build.returncode == 0, build.stderr
    assert "running step" not in build.stderr
    assert build.stderr.count("is up to date (made by Snakemake)") == 5
    assert stale_steps(load_project(root)) == []
    manifest = json.loads((root / "_manuscript/manifest.json").read_text(encoding="utf-8"))
    assert {step["reason"] for step in manifest["steps"]} == {"made by Snakemake"}


@pytest.fixture(scope="module")
def snakemade(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three-step fixture project, its steps run once by Snakemake (tests take copies)."""
    root = tmp_path_factory.mktemp("snakemade")
    write_project(root, CHAIN_STEPS, CHAIN_FILES)
    export_and_run(root)
    return root


@pytest.fixture
def made_project(snakemade: Path, tmp_path: Path) -> Project:
    return load_project(shutil.copytree(snakemade, tmp_path / "copy", symlinks=True))


def test_build_takes_what_snakemake_made_and_runs_a_step_again_when_its_script_or_input_changed(
    made_project: Project,
) -> None:
    project = made_project
    assert stale_steps(project) == []
    script = project.root / "scripts/two.py"
    script.write_text(script.read_text() + "# edited after Snakemake ran\n")
    (project.root / "data/a.csv").write_text("name\ngamma\n")
    assert stale_steps(project) == [
        ("one", "input `data/a.csv` changed"),
        ("two", "script `scripts/two.py` changed"),
        ("three", "depends on stale step `one`"),
    ]
    assert sorted(run_steps(project, log=quiet).ran) == ["one", "three", "two"]
    assert (project.root / "out/three.txt").read_text() == "NAME\nGAMMA\n"


def test_an_output_edited_by_hand_after_snakemake_is_made_again(made_project: Project) -> None:
    project = made_project
    (project.root / "out/two.txt").write_text("edited by hand")
    assert run_steps(project, log=quiet).ran == ["two"]
    assert (project.root / "out/two.txt").read_text() == "NAME\nBETA\n"


def test_a_damaged_snakemake_record_means_the_step_runs(made_project: Project) -> None:
    project = made_project
    (project.root / ".galley/snakemake/one.json").write_text("null")
    assert stale_steps(project) == [
        ("one", "never built"),
        ("three", "depends on stale step `one`"),
    ]


STEPS_WITH_RESOURCES = """
[tool.galley.steps.fit-model]
script = "scripts/one.py"
inputs = ["data/a.csv"]
outputs = ["out/one.txt"]
resources = { threads = 4, mem_mb = 8000, runtime = 120 }
container = "docker://python:3.12-slim"

[tool.galley.steps.galley_all]
script = "scripts/two.py"
inputs = ["data/b.csv"]
outputs = ["out/two.txt"]
"""


def test_resources_container_and_any_step_name_reach_a_snakefile_snakemake_reads(
    make_project: MakeProject,
) -> None:
    project = make_project(STEPS_WITH_RESOURCES)
    assert galley("export", "snakemake", cwd=project.root).returncode == 0
    text = (project.root / "workflow/Snakefile").read_text()
    assert "rule fit_model:\n" in text and "rule step_galley_all:\n" in text
    assert "    threads: 4\n    resources:\n        mem_mb=8000,\n        runtime=120,\n" in text
    assert '    container: "docker://python:3.12-slim"\n' in text
    dry = snakemake("--dry-run", "--cores", "8", cwd=project.root)
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "fit_model" in dry.stdout and "step_galley_all" in dry.stdout


def test_a_path_with_braces_is_refused_since_snakemake_reads_a_wildcard(
    make_project: MakeProject,
) -> None:
    steps = '[tool.galley.steps.one]\nscript = "scripts/one.py"\noutputs = ["out/{x}.txt"]\n'
    project = make_project(steps)
    result = galley("export", "snakemake", cwd=project.root)
    assert result.returncode == 2
    assert result.stderr == (
        "galley: error: pyproject.toml: [tool.galley.steps.one]: `out/{x}.txt` has a brace, which "
        "Snakemake reads as a wildcard; rename the file without `{` and `}` to export this step\n"
    )


@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        (
            "resources = { cores = 2 }",
            "`resources` has an unknown key `cores`; the known keys are threads, mem_mb, runtime "
            "(memory in MB, runtime in minutes)",
        ),
        ("resources = { threads = 0 }", "`resources.threads` must be a whole number above zero, not 0"),
        ("resources = { mem_mb = 1.5 }", "`resources.mem_mb` must be a whole number above zero, not 1.5"),
        ("resources = { runtime = true }", "`resources.runtime` must be a whole number above zero, not True"),
        ("resources = 4", "`resources` must be a table, like resources = { threads = 4, mem_mb = 8000, runtime = 120 }"),
        (
            'container = "python:3.12; rm -rf /"',
            "`container` must be an image name like \"docker://python:3.12-slim\", not 'python:3.12; rm -rf /'",
        ),
    ],
)  # fmt: skip
def test_bad_resources_or_container_are_reported_with_the_line(
    make_project: MakeProject, declaration: str, message: str
) -> None:
    steps = '\n[tool.galley.steps.one]\nscript = "scripts/one.py"\ninputs = ["data/a.csv"]\n'
    steps += f'outputs = ["out/one.txt"]\n{declaration}\n'
    project = make_project(steps)
    result = galley("export", "snakemake", cwd=project.root)
    assert result.returncode == 2
    assert result.stderr == f"galley: error: pyproject.toml:4: [tool.galley.steps.one]: {message}\n"
    assert not (project.root / "workflow").exists()


def test_an_authors_own_snakefile_is_never_replaced(make_project: MakeProject) -> None:
    project = make_project()
    own = project.root / "workflow/Snakefile"
    own.parent.mkdir()
    own.write_text("rule mine:\n    output: 'x'\n    shell: 'touch x'\n")
    result = galley("export", "snakemake", cwd=project.root)
    assert result.returncode == 1
    assert result.stderr == (
        "galley: error: workflow/Snakefile exists and galley did not write it; galley never "
        "replaces it: move it, or write galley's rules elsewhere (--output workflow/galley.smk) "
        "and `include:` them\n"
    )
    assert own.read_text() == "rule mine:\n    output: 'x'\n    shell: 'touch x'\n"


def test_galleys_rules_written_beside_an_authors_snakefile_are_found_through_include(
    make_project: MakeProject,
) -> None:
    project = make_project()
    (project.root / "Snakefile").write_text('include: "workflow/galley.smk"\n')
    result = galley("export", "snakemake", "--output", "workflow/galley.smk", cwd=project.root)
    assert result.returncode == 0, result.stderr
    assert "snakemake --cores all -s workflow/galley.smk" in result.stderr
    again = galley("export", "snakemake", "--output", "workflow/galley.smk", cwd=project.root)
    assert again.returncode == 0, again.stderr  # galley's own file is rewritten
    ran = snakemake("--cores", "2", "galley_all", cwd=project.root)  # the author's file's target
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert stale_steps(project) == []


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("../Snakefile", "must be a path inside the project, relative to it, without `..` or a link leading out"),
        ("/tmp/Snakefile", "must be a path inside the project, relative to it, without `..` or a link leading out"),
        ("outside/Snakefile", "must be a path inside the project, relative to it, without `..` or a link leading out"),
        ("scripts", "is a folder; name the file to write"),
    ],
)  # fmt: skip
def test_export_refuses_an_output_outside_the_project_or_on_a_folder(
    make_project: MakeProject, tmp_path: Path, output: str, message: str
) -> None:
    project = make_project()
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    elsewhere.mkdir()
    (project.root / "outside").symlink_to(elsewhere)
    result = galley("export", "snakemake", "--output", output, cwd=project.root)
    assert result.returncode == 2
    assert result.stderr == f"galley: error: --output `{output}` {message}\n"
    assert list(elsewhere.iterdir()) == []


NOTEBOOK_STEP = """
[tool.galley.steps.nb]
script = "analysis/count.ipynb"
inputs = ["data/a.csv"]
outputs = ["out/count.txt"]
"""


def test_a_notebook_step_runs_in_a_kernel_in_the_project_folder_and_keeps_its_executed_copy(
    make_project: MakeProject,
) -> None:
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("nbclient")
    code = (
        "import os, pathlib\n"
        "rows = pathlib.Path('data/a.csv').read_text().splitlines()\n"
        "out = pathlib.Path(os.environ['GALLEY_OUTPUT_ROOT']) / 'out/count.txt'\n"
        "out.parent.mkdir(parents=True, exist_ok=True)\n"
        "out.write_text(str(len(rows)))\n"
        "print('rows', len(rows))"
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    files = {"analysis/count.ipynb": nbformat.writes(notebook)}
    project = make_project(NOTEBOOK_STEP, files)
    before = (project.root / "analysis/count.ipynb").read_bytes()
    export_and_run(project.root)
    assert (project.root / "out/count.txt").read_text() == "2"
    assert (project.root / "analysis/count.ipynb").read_bytes() == before
    assert stale_steps(project) == []
    # The executed copy, outputs included, is where galley keeps it for the reviewer notebook.
    executed = nbformat.read(project.root / ".galley/cache/notebooks/nb.ipynb", as_version=4)
    assert executed.cells[0].outputs[0]["text"] == "rows 2\n"
