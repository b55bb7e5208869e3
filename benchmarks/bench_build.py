"""Speed of `galley build`, against bare pandoc + Typst measured in the same run.

Measures on a copy of the article in a temporary folder, every command a whole process, each
timing in wall seconds and in CPU seconds (user + system of the process and all its children):
- cold render: `galley build` of all three formats with the data steps cached and no render
  cache, against the same three renders as bare tools (the baseline), in interleaved pairs
  (galley, bare, galley, bare ...: a change in the machine's load falls on both);
- fully cold build (data steps too);
- no-op build;
- a one-input data change: an event's name in `data/milestones.csv`, which its figure shows, so
  the step reruns and the formats render again.
The baseline runs every tool as its own process: pandoc three times (HTML, DOCX, Typst, each with
--citeproc) and a fresh Python process for the compile of the PyPI `typst` package, which has no
command line. It once called `typst.compile` in the benchmark's own process, where the package
memoizes compilation: from the second run on the compile cost 0.018 s instead of 0.16 s, a
baseline no author gets (benchmarks/measure.py). Figures are medians; the load average before and
after and the CPU count are printed with them.
Usage: python benchmarks/bench_build.py [--runs N]
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO), str(REPO / "benchmarks")]

from measure import (  # noqa: E402
    Timing,
    bare_renders,
    bytecode_note,
    machine,
    measure_this_checkout,
    run,
    timed,
)
from tests.conftest import copy_project  # noqa: E402  (the same copy of the paper the tests use)

RENDER_GOAL = 1.0  # cold render / bare, in wall and in CPU time (issue 23)
NOOP_GOAL = 0.2  # seconds


def repeated(
    action: Callable[[], None], runs: int, before: Callable[[], None] = lambda: None
) -> list[Timing]:
    timings = []
    for _ in range(runs):
        before()
        timings.append(timed(action))
    return timings


def median(timings: list[Timing], which: int) -> float:
    return statistics.median(timing[which] for timing in timings)


def ratio_line(label: str, galley: list[Timing], bare: list[Timing], which: int) -> str:
    """The ratio of the medians against its goal, with the spread of the pairs' own ratios."""
    ratio = median(galley, which) / median(bare, which)
    pairs = sorted(a[which] / b[which] for a, b in zip(galley, bare, strict=True))
    verdict = "met" if ratio <= RENDER_GOAL else "not met"
    return (
        f"cold render / bare, {label}: {ratio:.2f}  (pairs {pairs[0]:.2f} to {pairs[-1]:.2f};"
        f" goal <= {RENDER_GOAL:.1f}: {verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="pairs and runs per row (median)")
    runs = parser.parse_args().runs
    measure_this_checkout()
    before = machine()
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp) / "article")

        def build() -> None:
            run(root, sys.executable, "-m", "galley", "build")

        def forget_everything() -> None:
            for folder in ("_manuscript", ".galley", "figures"):
                shutil.rmtree(root / folder, ignore_errors=True)
            (root / "_variables.yml").unlink(missing_ok=True)

        def forget_renders() -> None:
            shutil.rmtree(root / "_manuscript", ignore_errors=True)
            (root / ".galley/cache/formats.json").unlink(missing_ok=True)

        fully_cold = repeated(build, max(2, runs // 2), forget_everything)
        bare_render = bare_renders(root, Path(tmp) / "bare")
        cold: list[Timing] = []
        bare: list[Timing] = []
        for _ in range(runs):
            forget_renders()
            cold.append(timed(build))
            bare.append(timed(bare_render))
        noop = repeated(build, runs)

        data = root / "data" / "milestones.csv"
        original = data.read_text(encoding="utf-8")

        edits = itertools.count(1)

        def touch_data() -> None:
            # A change the figure shows (an event's name, in its label), different each run, so
            # the step reruns and the formats render again; a change of the note column, which
            # the figure does not draw, made the same figure and rendered nothing.
            data.write_text(
                original.replace("Labuan Bajo", f"Labuan Bajo ({next(edits)})"), encoding="utf-8"
            )

        one_change = repeated(build, runs, touch_data)
    after = machine()

    rows = [
        ("bare pandoc + Typst, three formats (baseline)", bare),
        ("galley build, cold render (steps cached)", cold),
        ("galley build, fully cold (steps too)", fully_cold),
        ("galley build, no-op", noop),
        ("galley build, one data file changed", one_change),
    ]
    bare_wall, bare_cpu = median(bare, 0), median(bare, 1)
    head = f"medians of {runs} runs"
    print(f"{head:48} {'wall s':>7} {'CPU s':>7} {'wall/bare':>10} {'CPU/bare':>9}")
    for name, timings in rows:
        wall, cpu = median(timings, 0), median(timings, 1)
        print(f"{name:48} {wall:7.3f} {cpu:7.3f} {wall / bare_wall:10.2f} {cpu / bare_cpu:9.2f}")
    print()
    print(ratio_line("wall", cold, bare, 0))
    print(ratio_line("CPU ", cold, bare, 1))
    noop_wall = median(noop, 0)
    verdict = "met" if noop_wall <= NOOP_GOAL else "not met"
    print(f"no-op build: {noop_wall:.3f} s  (goal <= {NOOP_GOAL} s: {verdict})")
    print(
        f"one data file changed / cold render, wall: {median(one_change, 0) / median(cold, 0):.2f}"
    )
    print(f"\nbefore: {before}\nafter:  {after}")
    note = bytecode_note()
    if note:
        print(note)


if __name__ == "__main__":
    main()
