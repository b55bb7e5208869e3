"""Save-to-reloaded latency of `galley preview`, in headless Chromium, against baselines measured
in the same run.

On a copy of the article in a temporary folder, with `galley preview` running and the page open:
- one-sentence edit: the article is saved with a new sentence; the time until that sentence is
  in the reloaded page, scrolled back (median of several edits); the rebuild's own share is the
  median of the times `galley preview` logs. The preview shows the edited paragraph at once and
  renders the whole HTML when the author pauses: each edit waits for that before the next, as an
  author's saves are seconds apart, and its CPU time is reported apart;
- data change: `data/activities.csv` is saved with an activity renamed, which reruns the one
  step that makes the activities table; the time until the new name is in the page;
- baselines: the bare pandoc render of the same expanded text to HTML (citeproc, no filters),
  and `galley build --to html` after a one-sentence edit, as a command.
Goals: a median of at most 0.3 s for a sentence (issue 23; issue 13 asked 0.5 s), under 2 s for
a one-step data change (issue 13). The load average is printed at the start and at the end.
Usage: python benchmarks/bench_preview.py [--runs N] [--chromium PATH]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from measure import measure_this_checkout  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS, DESKTOP  # noqa: E402
from tests.conftest import copy_project  # noqa: E402
from tests.preview.running import RunningPreview, preview  # noqa: E402

ANCHOR = "The main focus of this study"
ACTIVITY = "Modern forensic technology"
READY = "document.documentElement.dataset.galleyPreview === 'ready'"
SHOWN = re.compile(r"galley: (?:paragraph shown|html rendered) in ([\d.]+) s")
RENDERED = "galley: html rendered in"


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def cpu_seconds(pid: int) -> float:
    """CPU time of `galley preview` and the tools it ran (pandoc, step scripts), from /proc:
    the work a save costs, whatever else the machine is doing."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


# When the page now open finished loading, in seconds since the epoch (Navigation Timing).
LOADED = "(performance.timeOrigin + performance.getEntriesByType('navigation')[0].loadEventEnd)"


def save_to_reloaded(
    page: Page, running: RunningPreview, save: Callable[[], None], shown: str
) -> tuple[float, float]:
    """(seconds from the save until the reloaded page holding `shown` had loaded, CPU seconds
    galley used). The end is the browser's own record of the load, not the moment Playwright
    notices the text: after a navigation its polling backs off to half a second, which added up
    to 0.5 s to a third of the edits."""
    cpu = cpu_seconds(running.process.pid)
    start = time.time()
    save()
    page.get_by_text(shown).first.wait_for(state="attached")
    page.wait_for_function(READY)
    loaded = float(page.evaluate(LOADED)) / 1000
    return loaded - start, cpu_seconds(running.process.pid) - cpu


def sentence_edits(
    page: Page, running: RunningPreview, root: Path, runs: int
) -> tuple[list[tuple[float, float]], list[float], list[float]]:
    """(save-to-reloaded times, the seconds galley logged for the rebuild that showed each edit:
    the paragraph shown in place, or the whole render when the edit needed one, and CPU seconds
    of each whole render that followed the pause)."""
    article = root / "manuscript" / "index.qmd"
    times, shown, settled = [], [], []
    for run in range(runs):
        sentence = f"Benchmark sentence number {run} was just saved."
        since = len(running.stderr)
        times.append(
            save_to_reloaded(
                page,
                running,
                lambda s=sentence: replace_in(article, ANCHOR, f"{s} {ANCHOR}"),
                sentence,
            )
        )
        cpu = cpu_seconds(running.process.pid)
        running.wait_for_log(RENDERED, since)
        settled.append(cpu_seconds(running.process.pid) - cpu)
        first = next(m for line in running.stderr[since:] if (m := SHOWN.search(line)))
        shown.append(float(first[1]))
    return times, shown, settled


def data_changes(
    page: Page, running: RunningPreview, root: Path, runs: int
) -> list[tuple[float, float]]:
    csv = root / "data" / "activities.csv"
    times, current = [], ACTIVITY
    for run in range(runs):
        renamed = f"Modern forensic technology (round {run})"
        times.append(
            save_to_reloaded(
                page, running, lambda a=current, b=renamed: replace_in(csv, a, b), renamed
            )
        )
        current = renamed
    return times


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median (wall seconds, CPU seconds of the processes it ran) over `runs` runs."""
    times = []
    for _ in range(runs):
        cpu, start = children_cpu(), time.perf_counter()
        action()
        times.append((time.perf_counter() - start, children_cpu() - cpu))
    return medians(times)


def bare_pandoc(root: Path, runs: int) -> tuple[float, float]:
    from galley.project import load_project
    from galley.reading.sources import load_source
    from galley.util.tools import pandoc_path

    project = load_project(root)
    body = load_source(project).body
    command = [pandoc_path(), "-f", "markdown", "-s", "-t", "html5", "--citeproc",
               "--bibliography", str(root / "references.bib"), "--csl", str(root / "apa.csl"),
               "-o", os.devnull]  # fmt: skip
    return timed(
        lambda: subprocess.run(
            command,
            input=body,
            text=True,
            check=True,
            capture_output=True,
            cwd=project.article.parent,
        ),
        runs,
    )


def build_html(root: Path, runs: int) -> tuple[float, float]:
    article = root / "manuscript" / "index.qmd"
    count = iter(range(runs))

    def edit_and_build() -> None:
        replace_in(article, ANCHOR, f"Command-line sentence {next(count)}. {ANCHOR}")
        subprocess.run([sys.executable, "-m", "galley", "build", "--to", "html"], cwd=root,
                       check=True, capture_output=True)  # fmt: skip

    return timed(edit_and_build, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="edits per measurement (default 7)")
    parser.add_argument(
        "--chromium", default=os.environ.get("GALLEY_CHROMIUM", "/usr/bin/chromium")
    )
    options = parser.parse_args()
    measure_this_checkout()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp) / "article")
        with preview(root) as running, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=options.chromium, args=CHROMIUM_ARGS
            )
            page = browser.new_context(viewport=DESKTOP).new_page()  # type: ignore[arg-type]
            page.set_default_timeout(120_000)
            page.goto(running.url)
            page.wait_for_function(READY)
            page.evaluate("window.scrollTo(0, 1500)")
            sentence, shown, settled = sentence_edits(page, running, root, options.runs)
            data = data_changes(page, running, root, max(3, options.runs // 2))
            browser.close()
        bare = bare_pandoc(root, options.runs)
        command = build_html(root, max(3, options.runs // 2))
    rows = [
        ("bare pandoc to HTML (citeproc, no filters)", *bare, ""),
        ("`galley build --to html` after a sentence edit", *command, ""),
        ("preview: sentence saved -> page reloaded", *medians(sentence), "goal <= 0.3 s"),
        ("  of which galley's rebuild (logged)", statistics.median(shown), None, ""),
        ("  whole HTML rendered after the pause (CPU)", None, statistics.median(settled), ""),
        ("preview: data change (one step) -> reloaded", *medians(data), "goal < 2 s"),
    ]
    print(f"{'':50} {'median s':>9} {'x bare':>7} {'CPU s':>6} {'x bare':>7}")
    for label, seconds, cpu, goal in rows:
        wall = f"{seconds:9.3f} {seconds / bare[0]:7.2f}" if seconds is not None else " " * 17
        used = f"{cpu:6.2f} {cpu / bare[1]:7.2f}" if cpu is not None else " " * 14
        print(f"{label:50} {wall} {used}  {goal}")
    print(f"sentence edits (s): {' '.join(f'{t:.2f}' for t, _ in sentence)}")
    print(f"  rebuild logged:   {' '.join(f'{t:.2f}' for t in shown)}")
    print(f"data changes (s):   {' '.join(f'{t:.2f}' for t, _ in data)}")
    print("CPU s: the CPU time of galley and the tools it ran (pandoc, step scripts), which the")
    print("machine's other load does not change; wall seconds grow with that load")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def medians(times: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(t for t, _ in times), statistics.median(c for _, c in times)


if __name__ == "__main__":
    main()
