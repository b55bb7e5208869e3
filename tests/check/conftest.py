from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from galley.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixture_project(tmp_path: Path) -> Callable[[str], Path]:
    """A copy of fixtures/<name> in a temporary folder (checks write their cache there)."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target)
        return target

    return copy


@pytest.fixture
def run_check(
    fixture_project: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, dict[str, Any]]]:
    """`galley check --offline --format json` on a fixture: the exit code and the parsed output."""

    def run(name: str, *extra: str) -> tuple[int, dict[str, Any]]:
        root = fixture_project(name)
        capsys.readouterr()
        code = main(["check", "--project", str(root), "--format", "json", "--offline", *extra])
        out = capsys.readouterr().out
        return code, json.loads(out) if out.strip() else {}

    return run


def found(report: dict[str, Any], rule: str) -> list[tuple[str, int | None, str]]:
    return [(f["path"], f["line"], f["message"]) for f in report["findings"] if f["rule"] == rule]
