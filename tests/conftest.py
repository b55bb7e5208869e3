"""Shared fixtures: copies of the real project in temporary folders, built with real tools."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# The article as the authors published it (a copy of shared/seed/article.txt): the reference the
# rendered outputs are compared with.
SEED = REPO / "tests" / "data" / "seed-article.txt"
# What a clean clone holds of the paper (generated files and caches are left out).
PROJECT_FILES = (
    "_quarto.yml", "pyproject.toml", "references.bib", "apa.csl", "manuscript", "data", "scripts",
    "_extensions",
)  # fmt: skip


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / name)
    return dest


def galley(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real `galley` command line in `cwd`."""
    return subprocess.run(
        [sys.executable, "-m", "galley", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONUTF8": "1"},
        check=False,
    )


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The article, built once for the session into all three formats."""
    root = copy_project(tmp_path_factory.mktemp("article"))
    result = galley("build", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture
def run_galley() -> Callable[..., subprocess.CompletedProcess[str]]:
    return galley
