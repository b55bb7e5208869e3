"""How galley's cost grows with the manuscript: 1x, 10x and 100x this article, side by side.

For each scale, a generated manuscript (benchmarks/scale_manuscript.py: N copies of the article's
words, cited references and figures made by steps) is measured in one run:
- bare pandoc + Typst: the three renders as bare tools on the same expanded text, each tool a
  process of its own (the baseline, benchmarks/measure.py);
- galley build, fully cold (steps too), and cold render (steps cached), against the baseline; the
  cold render and the baseline run in interleaved pairs (galley, bare, galley, bare ...);
- no-op build; one sentence changed; one step's data changed;
- galley check --offline;
each with its wall and CPU seconds (user + system of the processes and all their children) and
its peak memory: the largest sum of resident memory over the whole process tree. The last column
is the growth per 10x (the time at one scale over the time at the scale 10x smaller): 10 is
linear. The machine's CPU count and load average before and after are printed below the table.
Usage: python benchmarks/bench_scale.py [--scales 1,10,100] [--runs N] [--only noop,check]
(`--scales 1,10` takes about two minutes; `--scales 100 --only bare,render --runs 1` the book's
cold render against bare, in minutes).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO), str(REPO / "benchmarks")]

from measure import (  # noqa: E402
    bare_renders,
    bytecode_note,
    children_cpu,
    machine,
    measure_this_checkout,
    run,
)
from scale_manuscript import generate  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")
SENTENCE = "This threat can no longer be overcome by a national approach alone."
# Wall seconds, peak memory in bytes, CPU seconds.
Measure = tuple[float, int, float]
GOALS = (
    "goals (issue 23): cold render <= 1.0x bare at 1x and 10x, in wall and CPU time;"
    " at 100x <= 0.72x, peak memory < 1 GB; growth <= 10"
)


def _tree_rss(root: int) -> int:
    """Resident memory of every process below `root` (not `root` itself), in bytes."""
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as children:
                    pending += [int(child) for child in children.read().split()]
            if pid != root:
                with open(f"/proc/{pid}/statm") as statm:
                    total += int(statm.read().split()[1]) * PAGE
        except (OSError, ValueError):
            continue  # the process ended while it was read
    return total


def measured(action: Callable[[], None]) -> Measure:
    """Seconds `action` takes, the peak memory of the processes it starts meanwhile and their CPU
    seconds (the machine may be shared: CPU time is the steadier figure)."""
    peak, done = 0, threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.wait(0.02):
            peak = max(peak, _tree_rss(os.getpid()))

    watcher = threading.Thread(target=watch)
    watcher.start()
    start, cpu = time.perf_counter(), children_cpu()
    try:
        action()
    finally:
        seconds, cpu = time.perf_counter() - start, children_cpu() - cpu
        done.set()
        watcher.join()
    return seconds, peak, cpu


def summary(results: list[Measure]) -> Measure:
    """Median seconds, largest peak memory, median CPU seconds."""
    return (
        statistics.median(r[0] for r in results),
        max(r[1] for r in results),
        statistics.median(r[2] for r in results),
    )


def median(
    action: Callable[[], None], runs: int, before: Callable[[], None] = lambda: None
) -> Measure:
    results = []
    for _ in range(runs):
        before()
        results.append(measured(action))
    return summary(results)


def galley(root: Path, *args: str) -> Callable[[], None]:
    return lambda: run(root, sys.executable, "-m", "galley", *args)


def measure_scale(scale: int, runs: int, tmp: Path, only: frozenset[str]) -> dict[str, Measure]:
    """The rows in `only` (row keys, see ROWS) for the manuscript at `scale`."""
    root = generate(tmp / f"x{scale}", scale)
    build = galley(root, "build")
    article = root / "manuscript" / "index.qmd"
    data = root / "data" / "milestones.csv"
    text, csv = article.read_text(encoding="utf-8"), data.read_text(encoding="utf-8")

    def forget_everything() -> None:
        run(root, "rm", "-rf", "_manuscript", ".galley", "figures", "_variables.yml")

    def forget_renders() -> None:
        run(root, "rm", "-rf", "_manuscript", ".galley/cache/formats.json")

    def edit_sentence() -> None:  # a real change of content each run
        article.write_text(text.replace(SENTENCE, f"{SENTENCE[:-1]} ({time.time_ns()}).", 1))

    def edit_data() -> None:  # a change the figure shows, so the formats render again
        data.write_text(csv.replace("Labuan Bajo", f"Labuan Bajo ({time.time_ns() % 997})"))

    results: dict[str, Measure] = {}
    if "cold" in only:
        results["cold"] = median(build, max(1, runs // 2), forget_everything)
    else:
        # The later rows start from a built project: the cold render from the steps' outputs
        # (measuring it without them would count the steps), the bare renders need them too.
        build()
    # The cold render and the baseline in pairs, so that a change in the machine's load falls on
    # both; either alone when only one is asked for.
    bare = bare_renders(root, tmp / f"bare{scale}") if "bare" in only else None
    renders: list[Measure] = []
    bares: list[Measure] = []
    for _ in range(runs):
        if "render" in only:
            forget_renders()
            renders.append(measured(build))
        if bare:
            bares.append(measured(bare))
    if renders:
        results["render"] = summary(renders)
    if bares:
        results["bare"] = summary(bares)
    measured_later: dict[str, Callable[[], Measure]] = {
        "noop": lambda: median(build, runs),
        "sentence": lambda: median(build, runs, edit_sentence),
        "step": lambda: median(build, runs, edit_data),
        "check": lambda: median(galley(root, "check", "--offline"), runs),
    }
    for key, measure in measured_later.items():
        if key in only:
            results[key] = measure()
    return results


ROWS = (
    ("bare", "bare pandoc + Typst, three formats"),
    ("cold", "galley build, fully cold (steps too)"),
    ("render", "galley build, cold render (steps cached)"),
    ("noop", "galley build, no-op"),
    ("sentence", "galley build, one sentence changed"),
    ("step", "galley build, one step's data changed"),
    ("check", "galley check --offline"),
)


def per_ten(small: float, large: float, factor: int) -> float:
    """Growth per 10x between two scales `factor` apart: 10 means linear."""
    return (large / small) ** (1 / math.log10(factor)) if small > 0 else math.inf


def report(results: dict[int, dict[str, Measure]]) -> None:
    scales = sorted(results)
    pairs = list(zip(scales, scales[1:], strict=False))
    head = "".join(f"{f'{s}x s':>9}{'cpu s':>8}{'MB':>6}" for s in scales)
    growth = "".join(f"{f'{b}/{a}x: s':>12}{'MB':>5}" for a, b in pairs)
    print(f"{'measurement':42}{head}   growth per 10x{growth}")
    for key, name in ROWS:
        if key not in results[scales[0]]:
            continue
        cells = "".join(
            f"{results[s][key][0]:9.2f}{results[s][key][2]:8.2f}{results[s][key][1] / 2**20:6.0f}"
            for s in scales
        )
        rates = "".join(
            f"{per_ten(results[a][key][0], results[b][key][0], b // a):12.1f}"
            f"{per_ten(results[a][key][1], results[b][key][1], b // a):5.1f}"
            for a, b in pairs
        )
        print(f"{name:42}{cells}{' ' * 17}{rates}")
    if {"render", "bare"} <= results[scales[0]].keys():
        ratios = "  ".join(
            f"{s}x: {results[s]['render'][0] / results[s]['bare'][0]:.2f}" for s in scales
        )
        cpu = "  ".join(
            f"{s}x: {results[s]['render'][2] / results[s]['bare'][2]:.2f}" for s in scales
        )
        print(f"\ncold render / bare: {ratios} (CPU seconds: {cpu})")
    print(GOALS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="1,10,100", help="comma-separated, e.g. 1,10")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    keys = ",".join(key for key, _ in ROWS)
    parser.add_argument("--only", default=keys, help=f"comma-separated rows, of {keys}")
    options = parser.parse_args()
    scales = [int(s) for s in options.scales.split(",")]
    only = frozenset(options.only.split(","))
    if not only <= {key for key, _ in ROWS}:
        parser.error(f"--only: rows are {keys}")
    measure_this_checkout()
    before = machine()
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for scale in scales:
            print(f"measuring {scale}x ...", file=sys.stderr, flush=True)
            results[scale] = measure_scale(scale, options.runs, Path(tmp), only)
    report(results)
    print(f"before: {before}\nafter:  {machine()}")
    note = bytecode_note()
    if note:
        print(note)


if __name__ == "__main__":
    main()
