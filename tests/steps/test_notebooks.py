"""Notebook steps run through nbclient with a real IPython kernel: `%matplotlib inline` and
`display()` work, the reviewer notebook is the executed notebook, a failing cell is one line.
Each test starts one kernel (a second or two), so they are few."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat

from galley.steps import run_steps
from galley.steps.provenance import write_provenance
from tests.hardening.conftest import run
from tests.steps.conftest import MakeProject, quiet, write_project

NOTEBOOK_STEP = """
[tool.galley.steps.plot]
script = "scripts/plot.ipynb"
inputs = ["data/a.csv"]
outputs = ["out/plot.png", "out/kernel.json"]
"""
# Reads relative to the project, imports a module beside the notebook, draws inline, displays.
CELLS = [
    "%matplotlib inline\nimport json, os, pathlib, sys\nimport matplotlib.pyplot as plt\n"
    "from IPython.display import Markdown, display\nimport helper",
    "rows = pathlib.Path('data/a.csv').read_text().split()\ndisplay(Markdown(helper.label(rows)))",
    "out = pathlib.Path(os.environ['GALLEY_OUTPUT_ROOT'])\n"
    "fig, ax = plt.subplots(figsize=(2, 2))\nax.plot([1, 3, 2])\nfig.savefig(out / 'out/plot.png')\n"
    "plt.show()",
    "(out / 'out/kernel.json').write_text(json.dumps({'python': sys.executable}))",
]


def notebook(cells: list[str]) -> str:
    made = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# A plot")]
        + [nbformat.v4.new_code_cell(c) for c in cells],
        metadata={"kernelspec": {"name": "some-other-kernel", "display_name": "Other"}},
    )
    return nbformat.writes(made)


FILES = {
    "scripts/plot.ipynb": notebook(CELLS),
    "scripts/helper.py": "def label(rows):\n    return 'rows: ' + ', '.join(rows)\n",
}


def test_a_notebook_step_runs_in_galleys_python_and_its_reviewer_notebook_shows_the_figure(
    make_project: MakeProject, tmp_path: Path
) -> None:
    project = make_project(NOTEBOOK_STEP, FILES)
    report = run_steps(project, log=quiet)
    assert report.ran == ["plot"]
    assert (project.root / "out/plot.png").read_bytes().startswith(b"\x89PNG")
    kernel = json.loads((project.root / "out/kernel.json").read_text())
    assert Path(kernel["python"]).resolve() == Path(sys.executable).resolve()

    write_provenance(project, report, tmp_path / "site", {"galley": "0"})
    reviewer = nbformat.read(tmp_path / "site/notebooks/plot.ipynb", as_version=4)
    nbformat.validate(reviewer)
    ran = [c for c in reviewer.cells if c.cell_type == "code" and c.source in CELLS]
    assert [c.source for c in ran] == CELLS
    assert [c.execution_count for c in ran] == [1, 2, 3, 4]
    shown = ran[1].outputs[0]["data"]["text/markdown"]
    figure = ran[2].outputs[0]
    assert shown == "rows: name, alpha"
    assert figure["output_type"] == "display_data"
    assert figure["data"]["image/png"]  # the figure inline, as Jupyter shows it

    assert run_steps(project, log=quiet).ran == []  # the kept notebook is part of the record


def test_a_failing_cell_is_one_line_with_its_number_and_changes_nothing(tmp_path: Path) -> None:
    cells = ["x = 1", "print('before')", "y = undefined_name + x"]
    root = tmp_path / "project"
    write_project(root, NOTEBOOK_STEP, {**FILES, "data/a.csv": "name\nalpha\n"})
    (root / "scripts/plot.ipynb").write_text(notebook(cells), encoding="utf-8")
    result = run("build", cwd=root)
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert errors == [
        "galley: error: scripts/plot.ipynb: cell 4: NameError: name 'undefined_name' is not "
        "defined; fix the cell and build again (step `plot`; previous outputs are unchanged)"
    ]
    assert not (root / "out").exists()
    assert not (root / "_manuscript").exists()
    assert not (root / ".galley/cache/notebooks").exists()


def test_a_notebook_past_its_timeout_is_stopped_and_changes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "project"
    steps = NOTEBOOK_STEP + "timeout = 5\n"
    write_project(root, steps, {**FILES, "data/a.csv": "name\nalpha\n"})
    (root / "scripts/plot.ipynb").write_text(notebook(["import time; time.sleep(600)"]))
    result = run("build", cwd=root)
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(
        "galley: error: scripts/plot.ipynb: step `plot` timed out after 5 s"
    ), result.stderr
    assert not (root / "out").exists()
