"""`galley init`: a new paper, an existing project given only what it lacks, and the Quarto
extension kept as the installed galley's."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from galley.engines.quarto_extension import EXTENSION_DIR, extension_files, filter_files
from tests.conftest import REPO, galley
from tests.render.quarto_standin import install

NEW_PAPER = {
    ".github/workflows/paper.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "_quarto.yml",
    "apa.csl",
    "data/anscombe.csv",
    "data/datapackage.json",
    "index.qmd",
    "pyproject.toml",
    "references.bib",
    "requirements.txt",
    "scripts/fig_anscombe.py",
    "scripts/paths.py",
    "scripts/variables.py",
    *(f"{EXTENSION_DIR.as_posix()}/{name}" for name in extension_files()),
}


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_init_in_a_new_folder_writes_the_whole_paper_and_says_what_to_run(tmp_path: Path) -> None:
    result = galley("init", "paper", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert files(tmp_path / "paper") == NEW_PAPER
    assert "galley: next, `cd paper` and run `galley build`" in result.stdout
    assert "skipped" not in result.stdout


def test_a_new_paper_checks_clean_before_its_first_build(tmp_path: Path) -> None:
    galley("init", cwd=tmp_path)

    result = galley("check", "--offline", cwd=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "galley check: no problems found\n"


def test_every_data_row_names_a_source_the_bibliography_holds(tmp_path: Path) -> None:
    galley("init", cwd=tmp_path)
    bib = (tmp_path / "references.bib").read_text(encoding="utf-8")
    rows = (tmp_path / "data/anscombe.csv").read_text(encoding="utf-8").splitlines()

    keys = {row.rsplit(",", 1)[1] for row in rows[1:]}

    assert rows[0].endswith(",source") and len(rows) == 45
    assert keys == {"anscombe1973"} and "@article{anscombe1973," in bib


def test_init_in_an_existing_quarto_project_adds_only_what_is_missing_and_names_the_rest(
    tmp_path: Path,
) -> None:
    author = {
        "_quarto.yml": "project:\n  type: manuscript\nmanuscript:\n  article: paper.qmd\n",
        "paper.qmd": "---\ntitle: Mine\n---\n\nMy text.\n",
        ".gitignore": "/mine/\n",
        "pyproject.toml": '[project]\nname = "mine"\n',
        "notes.txt": "unrelated\n",
    }
    for name, text in author.items():
        (tmp_path / name).write_text(text, encoding="utf-8")

    result = galley("init", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    for name, text in author.items():
        assert (tmp_path / name).read_text(encoding="utf-8") == text, name
    added = files(tmp_path) - set(author)
    assert added == {
        ".github/workflows/paper.yml",
        ".pre-commit-config.yaml",
        "requirements.txt",
        *(f"{EXTENSION_DIR.as_posix()}/{name}" for name in extension_files()),
    }
    assert "  skipped .gitignore: it exists" in result.stdout.splitlines()
    assert "add `filters: [galley]`" in result.stdout
    assert "galley: next, run `galley build`" in result.stdout


def test_init_keeps_an_existing_extension_and_says_how_to_refresh_it(tmp_path: Path) -> None:
    galley("init", cwd=tmp_path)
    notes = tmp_path / EXTENSION_DIR / "source-notes.lua"
    notes.write_text("-- the author's own\n", encoding="utf-8")
    (tmp_path / "index.qmd").unlink()

    result = galley("init", cwd=tmp_path)

    assert notes.read_text(encoding="utf-8") == "-- the author's own\n"
    assert not (tmp_path / "index.qmd").exists()  # a Quarto project: no second article
    assert (
        "  skipped _extensions/galley/ (`galley init --extension` refreshes it): it exists"
        in result.stdout.splitlines()
    )


def test_a_new_paper_beside_an_unrelated_pyproject_gets_its_steps_appended(
    tmp_path: Path,
) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "mine"\n', encoding="utf-8")

    result = galley("init", cwd=tmp_path)

    text = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert text.startswith('[project]\nname = "mine"\n\n# galley')
    assert "[tool.galley.steps.anscombe]" in text
    assert "  added [tool.galley.steps] to pyproject.toml" in result.stdout


def test_init_into_a_path_that_is_a_file_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "paper").write_text("not a folder\n", encoding="utf-8")

    result = galley("init", "paper", cwd=tmp_path)

    assert result.returncode == 2
    assert result.stderr == (
        "galley: error: paper: is a file, not a folder; name a new or existing folder\n"
    )
    assert files(tmp_path) == {"paper"}


def test_a_file_in_the_place_of_a_folder_is_skipped_and_named(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("mine\n", encoding="utf-8")
    (tmp_path / "_extensions").write_text("mine\n", encoding="utf-8")

    result = galley("init", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "  skipped data/anscombe.csv: `data` is a file, not a folder" in lines
    assert (
        "  skipped _extensions/galley/_extension.yml: `_extensions` is a file, not a folder"
        in lines
    )
    assert (tmp_path / "data").read_text(encoding="utf-8") == "mine\n"
    refresh = galley("init", "--extension", cwd=tmp_path)
    assert refresh.returncode == 2
    assert refresh.stderr == (
        "galley: error: _extensions: is a file, but Quarto extensions live in a folder of this "
        "name; move or delete it, then run `galley init --extension` again\n"
    )


def test_init_extension_rewrites_only_the_extension_and_drops_what_galley_does_not_ship(
    tmp_path: Path,
) -> None:
    galley("init", cwd=tmp_path)
    folder = tmp_path / EXTENSION_DIR
    (folder / "source-notes.lua").write_text("-- old\n", encoding="utf-8")
    (folder / "old-filter.lua").write_text("-- gone from galley\n", encoding="utf-8")
    (tmp_path / "index.qmd").write_text("---\ntitle: Mine\n---\n", encoding="utf-8")

    result = galley("init", "--extension", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == extension_files()
    assert result.stdout.splitlines() == [
        "  wrote _extensions/galley/source-notes.lua",
        "  removed _extensions/galley/old-filter.lua",
        "galley: refreshed _extensions/galley/ in .",
    ]
    assert (tmp_path / "index.qmd").read_text(encoding="utf-8") == "---\ntitle: Mine\n---\n"
    again = galley("init", "--extension", cwd=tmp_path)
    assert again.stdout == "galley: already up to date: _extensions/galley/ in .\n"


def test_build_warns_once_when_the_extension_is_not_the_installed_galleys(
    tmp_path: Path,
) -> None:
    galley("init", cwd=tmp_path)
    manifest = tmp_path / EXTENSION_DIR / "_extension.yml"
    manifest.write_text(
        re.sub(r"(?m)^version: .*$", "version: 0.0.1", manifest.read_text(encoding="utf-8")),
        encoding="utf-8",
    )

    result = galley("build", "--to", "html", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == [
        "galley: warning: _extensions/galley/: the Quarto extension's files (written by galley "
        "0.0.1) are not those of the installed galley 0.1.0: _extension.yml differs; run "
        "`galley init --extension` to refresh them"
    ]


def test_build_warns_when_quarto_yml_lists_the_galley_filter_but_the_extension_is_gone(
    tmp_path: Path,
) -> None:
    galley("init", cwd=tmp_path)
    for path in (tmp_path / EXTENSION_DIR).iterdir():
        path.unlink()
    (tmp_path / EXTENSION_DIR).rmdir()

    result = galley("build", "--to", "html", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert (
        "galley: warning: _quarto.yml lists the `galley` filter, but _extensions/galley/ does "
        "not exist, so Quarto cannot render the project; run `galley init --extension` to "
        "write it"
    ) in result.stderr.splitlines()


def test_the_extension_carries_every_file_a_filter_loads_from_its_folder() -> None:
    # callout.lua loads two helpers with dofile; the extension's filters would carry them too.
    assert set(filter_files(("callout.lua",))) == {
        "callout.lua",
        "xref-targets.lua",
        "construct-title.lua",
    }


def test_a_new_paper_built_with_quarto_runs_the_extension_copied_into_it(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    install(bin_dir)
    paper = tmp_path / "paper"
    galley("init", "paper", cwd=tmp_path)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
    }

    result = subprocess.run(
        [sys.executable, "-m", "galley", "build", "--engine", "quarto"],
        cwd=paper,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    assert {p.name for p in (paper / "_manuscript").glob("index.*")} == {
        "index.html",
        "index.pdf",
        "index.docx",
    }
    html = (paper / "_manuscript/index.html").read_text(encoding="utf-8")
    assert html.count('class="galley-source-note"') == 1
    assert "<code>scripts/fig_anscombe.py</code>" in html


def test_a_new_papers_pre_commit_hook_runs_galley_check_and_passes(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("pre-commit needs git")
    galley("init", cwd=tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    # The hook is `language: system`: it runs the galley next to this Python.
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(tmp_path.parent / "pre-commit-home"),
    }

    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"galley check --offline\.+Passed", result.stdout), result.stdout


def test_a_new_papers_ci_workflow_builds_checks_and_keeps_the_outputs(tmp_path: Path) -> None:
    galley("init", cwd=tmp_path)
    workflow = yaml.safe_load((tmp_path / ".github/workflows/paper.yml").read_text("utf-8"))

    runs = [step.get("run") for step in workflow["jobs"]["build"]["steps"]]

    assert runs[2:5] == [
        "pip install -r requirements.txt",
        "galley build",
        "galley check --links --format github",
    ]
    lines = (tmp_path / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if not line.startswith("#")] == ["galley", "matplotlib>=3.8"]
