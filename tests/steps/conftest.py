"""Tiny fixture projects for the step engine, written into tmp_path: real files, real scripts."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from galley.project import Project, load_project

BIB = "@misc{key2020,\n  title = {A source},\n  year = {2020}\n}\n"

# Three steps: `one` and `two` are independent; `three` reads what `one` writes.
CHAIN_STEPS = """
[tool.galley.steps.one]
script = "scripts/one.py"
inputs = ["data/a.csv"]
outputs = ["out/one.txt"]

[tool.galley.steps.two]
script = "scripts/two.py"
inputs = ["data/b.csv"]
outputs = ["out/two.txt"]

[tool.galley.steps.three]
script = "scripts/three.py"
inputs = ["out/one.txt"]
outputs = ["out/three.txt"]
"""

# A script that copies its input upper-cased to its output, under GALLEY_OUTPUT_ROOT.
COPY_SCRIPT = """
import os, pathlib
root = pathlib.Path(os.environ.get("GALLEY_OUTPUT_ROOT", "."))
text = pathlib.Path({source!r}).read_text()
(root / {target!r}).parent.mkdir(parents=True, exist_ok=True)
(root / {target!r}).write_text(text.upper())
"""

CHAIN_FILES = {
    "data/a.csv": "name\nalpha\n",
    "data/b.csv": "name\nbeta\n",
    "scripts/one.py": COPY_SCRIPT.format(source="data/a.csv", target="out/one.txt"),
    "scripts/two.py": COPY_SCRIPT.format(source="data/b.csv", target="out/two.txt"),
    "scripts/three.py": COPY_SCRIPT.format(source="out/one.txt", target="out/three.txt"),
}

MakeProject = Callable[..., Project]


def write_project(root: Path, steps: str, files: dict[str, str]) -> Project:
    """A minimal Quarto manuscript project with `steps` appended to its pyproject.toml."""
    base = {
        "_quarto.yml": "project:\n  type: manuscript\nmanuscript:\n  article: index.qmd\n"
        "bibliography: references.bib\n",
        "index.qmd": "# Title\n\nText.\n",
        "references.bib": BIB,
        "pyproject.toml": '[project]\nname = "fixture"\n' + textwrap.dedent(steps),
    }
    for name, text in {**base, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_project(root)


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    def make(steps: str = CHAIN_STEPS, files: dict[str, str] | None = None) -> Project:
        return write_project(tmp_path, steps, {**CHAIN_FILES, **(files or {})})

    return make


def reload(project: Project) -> Project:
    """The project read again, as a new galley run would (after pyproject.toml changed)."""
    return load_project(project.root)


def quiet(message: str) -> None:
    """A log function for run_steps that keeps test output clean."""
