"""What the build benchmarks measure alike: the bare tools' baseline, the wall and CPU seconds of
the processes a benchmark starts, and the machine it ran on.

The baseline is what an author without galley runs for the three formats, one after another:
pandoc to HTML, pandoc to DOCX, pandoc to Typst, then the Typst compiler, each as a process of
its own, as each `galley build` is. The Typst compiler is the PyPI `typst` package (galley's
engine), which has no command line, so it runs as `python -c "import typst; typst.compile(...)"`.
Calling `typst.compile` in the benchmark's own process instead flatters the baseline: the package
memoizes compilation within a process, so from the second run on a compile of the same file is
almost free (this article's Typst file: 0.16 s the first time in a process, 0.018 s each time
after; 0.19 s in a fresh process, of which 0.016 s is Python's start and the import).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
# Wall seconds, CPU seconds (user + system of the processes started and all their children).
Timing = tuple[float, float]


def measure_this_checkout() -> None:
    """Make the galley processes a benchmark starts run this checkout's galley: without it they
    import whichever galley the Python environment has installed, maybe another checkout's."""
    os.environ["PYTHONPATH"] = os.pathsep.join(
        path for path in (str(SRC), os.environ.get("PYTHONPATH")) if path
    )


def children_cpu() -> float:
    """CPU seconds of every child process ended and waited for so far, with their own children:
    the work a command costs, whatever else the machine is doing."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(action: Callable[[], None]) -> Timing:
    """Wall and CPU seconds of `action`, which runs whole processes and waits for them."""
    start, cpu = time.perf_counter(), children_cpu()
    action()
    return time.perf_counter() - start, children_cpu() - cpu


def run(cwd: Path, *argv: str) -> None:
    subprocess.run(argv, cwd=cwd, check=True, capture_output=True)


def bare_renders(root: Path, out: Path) -> Callable[[], None]:
    """The three renders of the project at `root` as bare tools (see the module's docstring), on
    its expanded source (includes and variables resolved), written once beforehand to the new
    folder `out`, where the outputs go too."""
    from galley.project import load_project
    from galley.reading.sources import load_source
    from galley.util.tools import pandoc_path

    project = load_project(root)
    out.mkdir(parents=True)
    body = out / "body.md"
    body.write_text(load_source(project).body, encoding="utf-8")
    article_dir = project.article.parent
    common = [pandoc_path(), str(body), "-f", "markdown", "--citeproc", "--bibliography",
              str(root / "references.bib"), "--csl", str(root / "apa.csl"),
              "--resource-path", str(article_dir), "--number-sections"]  # fmt: skip
    # Next to the article, so that the figures' relative paths resolve as in the source.
    typ = article_dir / "bare.typ"
    compile_typ = (
        f"import typst; typst.compile({str(typ)!r}, output={str(out / 'a.pdf')!r},"
        f" root={str(root)!r})"
    )

    def render() -> None:
        run(article_dir, *common, "-s", "-t", "html5", "-o", str(out / "a.html"))
        run(article_dir, *common, "-t", "docx", "-o", str(out / "a.docx"))
        run(article_dir, *common, "-s", "-t", "typst", "-o", str(typ))
        run(article_dir, sys.executable, "-c", compile_typ)

    return render


def machine() -> str:
    """The CPU count and the load average now: a benchmark's figures mean little without them."""
    one, five, fifteen = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min)"


def bytecode_note() -> str | None:
    """A warning when galley's processes may compile their modules on every run, which a user's
    install does not (about 0.06 s a process here)."""
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return (
            "note: PYTHONDONTWRITEBYTECODE is set: galley's processes write no compiled modules,"
            " so unless an earlier run wrote them each compiles galley again;"
            " run with `env -u PYTHONDONTWRITEBYTECODE` for a user's figures"
        )
    return None
