"""Manifest and reviewer notebooks tell the truth about the files on disk; the paper's own steps
give byte-identical outputs from a clean start (notebook steps: test_notebooks.py)."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import nbformat
import pytest

from galley.project import Project, load_project
from galley.steps import run_steps, source_notes
from galley.steps.provenance import _git, write_provenance
from tests.conftest import copy_project
from tests.steps.conftest import MakeProject, quiet

TOOLS = {"python": "3", "pandoc": "3", "typst": "0", "galley": "0"}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_provenance(project: Project, out: Path) -> dict[str, object]:
    """Every hash in the manifest matches the disk and every notebook validates."""
    manifest = json.loads((out / "manifest.json").read_text())
    for step in manifest["steps"]:
        for entry in [step["script"], *step["inputs"], *step["outputs"]]:
            assert entry["sha256"] == sha256(project.root / entry["path"]), entry["path"]
        notebook = nbformat.read(out / step["notebook"], as_version=4)
        nbformat.validate(notebook)
    return manifest  # type: ignore[no-any-return]


def test_manifest_hashes_match_disk_and_notebooks_validate(
    make_project: MakeProject, tmp_path: Path
) -> None:
    project = make_project()
    report = run_steps(project, log=quiet)
    write_provenance(project, report, tmp_path / "site", TOOLS)
    manifest = check_provenance(project, tmp_path / "site")
    assert manifest["tools"]["galley"] == "0"  # type: ignore[index]
    assert "pandas" in manifest["tools"]  # type: ignore[operator]
    assert set(manifest["git"]) == {"commit", "dirty"}  # type: ignore[arg-type]
    one = manifest["steps"][0]  # type: ignore[index]
    assert one["command"] == "python scripts/one.py"
    assert isinstance(one["duration_s"], float)
    write_provenance(project, run_steps(project, log=quiet), tmp_path / "again", TOOLS)
    again = json.loads((tmp_path / "again/manifest.json").read_text())
    assert {s["duration_s"] for s in again["steps"]} == {"cached"}


def test_notebook_shows_script_data_preview_and_outputs(
    make_project: MakeProject, tmp_path: Path
) -> None:
    project = make_project()
    write_provenance(project, run_steps(project, log=quiet), tmp_path, TOOLS)
    notebook = nbformat.read(tmp_path / "notebooks/one.ipynb", as_version=4)
    sources = [cell.source for cell in notebook.cells]
    assert (project.root / "scripts/one.py").read_text() in sources
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    assert "<td>alpha</td>" in outputs[0]["data"]["text/html"]
    assert outputs[1]["data"]["text/plain"] == "NAME\nALPHA\n"


def test_source_notes_name_script_inputs_and_notebook(make_project: MakeProject) -> None:
    project = make_project()
    note = source_notes(project)["out/three.txt"]
    assert (note.step, note.script, note.notebook) == (
        "three",
        "scripts/three.py",
        "notebooks/three.ipynb",
    )
    assert note.inputs == [("out/one.txt", "missing")]
    run_steps(project, log=quiet)
    note = source_notes(project)["out/three.txt"]
    assert note.inputs == [("out/one.txt", sha256(project.root / "out/one.txt")[:8])]


@pytest.mark.slow
def test_paper_outputs_are_byte_identical_across_clean_builds(tmp_path: Path) -> None:
    digests = []
    for name in ("first", "second"):
        project = load_project(copy_project(tmp_path / name))
        report = run_steps(project, log=quiet)
        assert len(report.ran) == len(report.outcomes) >= 5
        outputs = sorted(p for out in report.outcomes for p in _outputs(project, out.name))
        digests.append({p: sha256(project.root / p) for p in outputs})
        write_provenance(project, report, tmp_path / f"{name}-site", TOOLS)
        check_provenance(project, tmp_path / f"{name}-site")
    assert digests[0] == digests[1]
    assert "figures/prevalence.svg" in digests[0]
    first, second = (tmp_path / f"{n}-site/notebooks/prevalence.ipynb" for n in ("first", "second"))
    assert first.read_bytes() == second.read_bytes()


def _outputs(project: Project, step: str) -> tuple[str, ...]:
    from galley.steps.config import load_steps

    return load_steps(project)[step].outputs


def test_the_manifest_names_the_commit_and_whether_the_tree_differs_from_it(
    make_project: MakeProject,
) -> None:
    project = make_project()

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=project.root, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert _git(project) == {"commit": None, "dirty": None}  # no repository
    git("init", "-q", ".")
    assert _git(project) == {"commit": None, "dirty": True}  # no commit yet
    git("add", ".")
    git("-c", "user.name=A", "-c", "user.email=a@example.org", "commit", "-qm", "first")
    assert _git(project) == {"commit": git("rev-parse", "HEAD"), "dirty": False}
    (project.root / "notes.txt").write_text("b\n", encoding="utf-8")  # untracked
    assert _git(project) == {"commit": git("rev-parse", "HEAD"), "dirty": True}
