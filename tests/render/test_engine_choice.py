"""`--engine`: auto picks Quarto when `quarto` is on PATH, else the embedded engine; asking for
Quarto without it is a clear error. Quarto itself cannot be installed here, so these tests put a
stand-in `quarto` executable on PATH: it checks galley's side of the contract (the command line
galley runs, and that galley takes Quarto's outputs from `_manuscript/` to the same place)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from tests.render.test_crossrefs import make_project

STAND_IN = """#!/bin/sh
# Records its arguments and writes what `quarto render DIR --to FMT` writes for a manuscript.
echo "$@" >> "$QUARTO_LOG"
[ "$1" = "--version" ] && { echo 1.10.0; exit 0; }
[ "$1" = "render" ] && [ "$3" = "--to" ] || exit 64
case "$4" in html) ext=html ;; docx) ext=docx ;; typst) ext=pdf ;; *) exit 65 ;; esac
mkdir -p "$2/_manuscript/doc" && echo "quarto $4" > "$2/_manuscript/doc/index.$ext"
"""


def galley_with_path(root: Path, path: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": path, "QUARTO_LOG": str(root / "quarto.log")}
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
    bin_dir.mkdir()
    quarto = bin_dir / "quarto"
    quarto.write_text(STAND_IN, encoding="utf-8")
    quarto.chmod(quarto.stat().st_mode | stat.S_IEXEC)

    result = galley_with_path(root, f"{bin_dir}:/usr/bin:/bin", "--to", "html", "--to", "typst")

    assert result.returncode == 0, result.stderr
    assert "quarto found at" in result.stderr
    assert (root / "_manuscript/doc/index.html").read_text() == "quarto html\n"
    assert (root / "_manuscript/doc/index.pdf").read_text() == "quarto typst\n"
    calls = (root / "quarto.log").read_text().splitlines()
    assert [c.split()[-1] for c in calls if c.startswith("render")] == ["html", "typst"]
    assert not (root / ".galley/tmp").exists() or not any((root / ".galley/tmp").iterdir())
