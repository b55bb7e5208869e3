"""`galley doctor` prints what a bug report needs, and every problem it can find, each once."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from galley import __version__
from tests.hardening.conftest import make_project, run


def test_doctor_prints_versions_fonts_engine_and_project(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    result = run("doctor", cwd=root, env={"PATH": str(tmp_path / "no-quarto")})
    assert result.returncode == 0, result.stdout
    names = [line.split(":")[0] for line in result.stdout.splitlines()]
    assert names == [
        "platform", "python", "galley", "pandoc", "typst", "quarto", "fonts", "engine (auto)",
        "project", "article", "bibliography", "data steps", "settings", "no problems found",
    ]  # fmt: skip
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines()[:-1])
    assert lines["python"] == f"{sys.version.split()[0]} ({sys.executable})"
    assert lines["galley"] == __version__
    assert re.fullmatch(r"\d+\.\d+(\.\d+)* \(\S*pandoc\S*\)", lines["pandoc"])
    assert lines["quarto"] == "not found on PATH (optional)"
    assert "Libertinus Serif" in lines["fonts"]
    assert lines["engine (auto)"] == ("embedded pandoc + Typst engine (`quarto` is not on PATH)")
    assert lines["article"] == "index.qmd (html -> _manuscript/index.html)"
    assert lines["bibliography"] == "refs.bib"


def test_doctor_lists_each_problem_and_fails(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "project",
        {
            "refs.bib": "@misc{a, title = {A}}\n\n@book{b,\n  title = {Open\n",
            "pyproject.toml": "[tool.galley.links]\ntimout = 3\n",
        },
    )
    result = run("doctor", cwd=root, env={"PYPANDOC_PANDOC": "/nonexistent/pandoc"})
    assert result.returncode == 1
    problems = [line for line in result.stdout.splitlines() if ": PROBLEM: " in line]
    assert [p.split(":")[0] for p in problems] == ["pandoc", "bibliography", "settings"]
    assert problems[0].endswith(
        "PYPANDOC_PANDOC is set to `/nonexistent/pandoc`, which is not a working pandoc; fix that path or unset PYPANDOC_PANDOC"
    )
    assert problems[1].startswith("bibliography: PROBLEM: refs.bib:3: this block does not parse")
    assert "unknown key `timout`" in problems[2]
    assert result.stdout.splitlines()[-1] == "3 problem(s) found"


def test_doctor_outside_a_project_says_so(tmp_path: Path) -> None:
    result = run("doctor", cwd=tmp_path)
    assert result.returncode == 1
    assert f"project: PROBLEM: {tmp_path}: no _quarto.yml here" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
