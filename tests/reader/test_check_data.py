"""`galley check` checks the data rows as `build` does: with the same validator."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.hardening.conftest import run

PACKAGE = {
    "resources": [
        {
            "name": "counts",
            "path": "counts.csv",
            "schema": {
                "fields": [{"name": "year", "type": "integer"}, {"name": "n", "type": "integer"}]
            },
        }
    ]
}


def test_a_row_with_too_many_values_fails_check_with_its_line(tiny: Callable[..., Path]) -> None:
    root = tiny(
        {
            "data/datapackage.json": json.dumps(PACKAGE),
            "data/counts.csv": "year,n\n2020,1\n2021,2,3\n",
        }
    )
    result = run("check", "--offline", cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "data/counts.csv:3" in result.stdout
    assert "bad-data" in result.stdout
    assert "3 values for 2 columns" in result.stdout


def test_clean_data_passes_check(tiny: Callable[..., Path]) -> None:
    root = tiny(
        {"data/datapackage.json": json.dumps(PACKAGE), "data/counts.csv": "year,n\n2020,1\n"}
    )
    result = run("check", "--offline", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
