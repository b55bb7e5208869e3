"""`--engine`: auto picks Quarto when `quarto` is on PATH, else the embedded engine; asking for
Quarto without it is a clear error. Quarto itself cannot be installed here, so these tests put
the stand-in `quarto` (tests/render/quarto_standin.py, which models Quarto's behaviour as
issue 9 records it) on PATH."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.render.quarto_standin import install
from tests.render.test_crossrefs import make_project


def galley_with_path(root: Path, path: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": path, "QUARTO_LOG": str(root.parent / "quarto.log")}
    return subprocess.run(
        [sys.executable, "-m", "galley", "build", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_engine_quarto_without_quarto_is_a_clear_error(tmp_path: Path) -> None:
    root = make_project(tmp_path, "Text.\n")
    result = galley_with_path(root, "/usr/bin:/bin", "--engine", "quarto")
    assert result.returncode == 1
    assert "`--engine quarto` asked for Quarto, but `quarto` is not on PATH" in result.stderr
    assert "Traceback" not in result.stderr


def test_auto_uses_quarto_when_on_path_and_outputs_land_in_the_same_place(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", "Text.\n")
    bin_dir = tmp_path / "bin"
    install(bin_dir)

    result = galley_with_path(root, f"{bin_dir}:/usr/bin:/bin", "--to", "html", "--to", "typst")

    assert result.returncode == 0, result.stderr
    assert "quarto found at" in result.stderr
    assert (root / "_manuscript/doc/index.html").read_text().startswith("<!DOCTYPE html>")
    assert (root / "_manuscript/doc/index.pdf").read_bytes().startswith(b"%PDF")
    calls = (tmp_path / "quarto.log").read_text().splitlines()
    assert [c.split()[-1] for c in calls if c.startswith("render")] == ["html", "typst"]
    assert not (root / ".galley/tmp").exists() or not any((root / ".galley/tmp").iterdir())
