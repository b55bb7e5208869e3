"""Speed of `galley build`, as ratios against baselines measured in the same run.

Measures on a copy of the article in a temporary folder:
- cold render: `galley build` of all three formats with the data steps cached and no render
  cache, against the same three renders as bare pandoc and Typst calls (the baseline);
- fully cold build (data steps too);
- no-op build against the cold render;
- a one-input data change (steps rerun, formats re-render) against the cold render.
Each timing is the median of several runs. Usage: python benchmarks/bench_build.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
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


def galley(root: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "galley", *args], cwd=root, check=True, capture_output=True
    )


def median_time(
    action: Callable[[], None], runs: int, before: Callable[[], None] = lambda: None
) -> float:
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bare_renders(root: Path, out: Path) -> Callable[[], None]:
    """The three renders as bare tools: pandoc to HTML and DOCX, pandoc to Typst + typst.compile,
    on the article's expanded source (includes and variables already resolved)."""
    import typst

    from galley.project import load_project
    from galley.reading.sources import load_source
    from galley.util.tools import pandoc_path

    project = load_project(root)
    body = load_source(project).body
    article_dir = project.article.parent
    common = [pandoc_path(), "-f", "markdown", "--citeproc", "--bibliography",
              str(root / "references.bib"), "--csl", str(root / "apa.csl"),
              "--resource-path", str(article_dir), "--number-sections"]  # fmt: skip

    def render() -> None:
        for args in (
            ["-s", "-t", "html5", "-o", str(out / "a.html")],
            ["-t", "docx", "-o", str(out / "a.docx")],
        ):
            subprocess.run(
                [*common, *args],
                input=body,
                text=True,
                check=True,
                cwd=article_dir,
                capture_output=True,
            )
        typ = article_dir / "bare.typ"
        subprocess.run(
            [*common, "-s", "-t", "typst", "-o", str(typ)],
            input=body,
            text=True,
            check=True,
            cwd=article_dir,
            capture_output=True,
        )
        typst.compile(str(typ), output=str(out / "a.pdf"), root=str(root))

    return render


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp) / "article")
        out = Path(tmp) / "bare"
        out.mkdir()

        def forget_everything() -> None:
            for folder in ("_manuscript", ".galley", "figures"):
                shutil.rmtree(root / folder, ignore_errors=True)
            (root / "_variables.yml").unlink(missing_ok=True)

        def forget_renders() -> None:
            shutil.rmtree(root / "_manuscript", ignore_errors=True)
            (root / ".galley/cache/formats.json").unlink(missing_ok=True)

        fully_cold = median_time(
            lambda: galley(root, "build"), max(2, runs // 2), forget_everything
        )
        cold = median_time(lambda: galley(root, "build"), runs, forget_renders)
        bare = median_time(bare_renders(root, out), runs)
        noop = median_time(lambda: galley(root, "build"), runs)

        data = root / "data" / "milestones.csv"
        original = data.read_text(encoding="utf-8")

        def touch_data() -> None:
            # A real change of content: a note column gets a different text each run.
            data.write_text(
                original.replace("August 2024", f"August 2024 ({time.time_ns()})"), encoding="utf-8"
            )

        one_change = median_time(lambda: galley(root, "build"), runs, touch_data)

    rows = [
        ("bare pandoc + Typst, three formats (baseline)", bare, 1.0),
        ("galley build, cold render (steps cached)", cold, cold / bare),
        ("galley build, fully cold (steps too)", fully_cold, fully_cold / bare),
        ("galley build, no-op", noop, noop / cold),
        ("galley build, one data file changed", one_change, one_change / cold),
    ]
    print(f"{'measurement':52} {'median s':>9} {'ratio':>7}")
    for name, seconds, ratio in rows:
        print(f"{name:52} {seconds:9.3f} {ratio:7.2f}")
    print(f"\noverhead ratio (cold render / bare tools): {cold / bare:.2f}  (goal <= 1.2)")
    print(f"no-op / cold render: {noop / cold:.2f}  (goal <= 0.1, and under 0.3 s: {noop:.3f} s)")
    print(f"one-input change / cold render: {one_change / cold:.2f}")


if __name__ == "__main__":
    main()
