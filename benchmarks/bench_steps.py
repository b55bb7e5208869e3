"""Speed of the data steps on every core, as ratios against one step at a time, in the same run.

Measures on a copy of the article in a temporary folder, every step forced each time:
- `galley build`'s step runner with `-j 1` (the baseline) and with one job per core;
- the same steps through `galley export snakemake` and `snakemake --cores N --forceall`.
Each timing is the median of several runs. Usage: python benchmarks/bench_steps.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from tests.conftest import copy_project  # noqa: E402  (the same copy of the paper the tests use)

from galley.project import load_project  # noqa: E402
from galley.steps import run_steps  # noqa: E402
from galley.steps.graph import core_count  # noqa: E402


def median_time(action: Callable[[], None], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    cores = core_count()
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp) / "paper")
        project = load_project(root)

        def galley_steps(jobs: int) -> Callable[[], None]:
            return lambda: run_steps(project, force=True, log=lambda _: None, jobs=jobs)

        subprocess.run(
            [sys.executable, "-m", "galley", "export", "snakemake"],
            cwd=root,
            check=True,
            capture_output=True,
        )
        path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"

        def snakemake() -> None:
            subprocess.run(
                [sys.executable, "-m", "snakemake", "--cores", str(cores), "--forceall"],
                cwd=root,
                check=True,
                capture_output=True,
                env={**os.environ, "PATH": path},
            )

        serial = median_time(galley_steps(1), runs)
        parallel = median_time(galley_steps(cores), runs)
        snake = median_time(snakemake, runs)
    steps = len(project.galley["steps"])
    print(f"{steps} steps, {cores} cores, median of {runs} runs")
    print(f"  galley -j 1            {serial:7.2f} s   1.00x (baseline)")
    print(f"  galley -j {cores:<2}           {parallel:7.2f} s   {parallel / serial:.2f}x")
    print(f"  snakemake --cores {cores:<2}   {snake:7.2f} s   {snake / serial:.2f}x")


if __name__ == "__main__":
    main()
