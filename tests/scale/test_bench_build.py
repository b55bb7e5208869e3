"""benchmarks/bench_build.py runs to its end (so that the benchmark cannot rot); its timings are
what it measures, never asserted here."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_bench_build_prints_every_row_the_ratios_and_the_machine_load() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_build.py"), "--runs", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for line in (
        "bare pandoc + Typst, three formats (baseline)",
        "galley build, cold render (steps cached)",
        "galley build, fully cold (steps too)",
        "galley build, no-op",
        "galley build, one data file changed",
        "cold render / bare, wall:",
        "cold render / bare, CPU :",
        "no-op build:",
        "before: ",
        "after:  ",
    ):
        assert line in result.stdout, result.stdout
    assert result.stdout.count("load average") == 2
