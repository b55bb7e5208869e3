"""Speed of `galley check`, as ratios measured in one run.

- A generated manuscript of 100,000 words citing every entry of a generated 5,000-entry
  bibliography: `galley check --offline` (cold: no cache) against `pandoc --citeproc -t plain`
  on the same input (target: ratio <= 1.0); the warm rerun (render verdicts cached) too.
- 1,000 URLs on a local HTTP server: URLs per second (target: >= 500) and a cached rerun
  against the first run (target: <= 0.1).
Usage: python benchmarks/bench_check.py
"""

from __future__ import annotations

import multiprocessing
import random
import subprocess
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from galley.check.config import HostConfig, LinkConfig  # noqa: E402
from galley.check.urls import LinkUse, check_links  # noqa: E402

ENTRIES, WORDS, URLS = 5_000, 100_000, 1_000
VOCABULARY = [
    "the",
    "state",
    "police",
    "cooperation",
    "drug",
    "policy",
    "regional",
    "security",
    "data",
    "report",
    "shows",
]


def bibliography(count: int) -> str:
    entries = []
    for i in range(count):
        year = 1950 + i % 75
        if i % 3 == 0:
            entries.append(
                f"@article{{key{i},\n  author = {{Author{i}, Anna and Second, Bob}},\n"
                f"  title = {{A study of topic {i}}},\n  journal = {{Journal {i % 40}}},\n"
                f"  year = {{{year}}},\n  volume = {{{i % 30 + 1}}},\n  pages = {{1--20}},\n"
                f"  doi = {{10.1000/bench.{i}}}\n}}\n"
            )
        elif i % 3 == 1:
            entries.append(
                f"@book{{key{i},\n  author = {{Writer{i}, Carl}},\n  title = {{Book {i}}},\n"
                f"  publisher = {{Press {i % 20}}},\n  year = {{{year}}}\n}}\n"
            )
        else:
            entries.append(
                f"@online{{key{i},\n  author = {{{{Agency {i}}}}},\n  title = {{Page {i}}},\n"
                f"  year = {{{year}}},\n  url = {{https://example.org/page/{i}}},\n"
                f"  urldate = {{2024-05-17}}\n}}\n"
            )
    return "\n".join(entries)


def manuscript(words: int, entries: int) -> str:
    rng = random.Random(4)
    parts, count, key = ["---\ntitle: Benchmark\nbibliography: refs.bib\n---\n"], 0, 0
    section = 0
    while count < words:
        if count % 5_000 == 0:
            section += 1
            parts.append(f"\n# Section {section} {{#sec-s{section}}}\n\nAs @sec-s1 says.\n")
        sentence = " ".join(rng.choice(VOCABULARY) for _ in range(18))
        cites = f"@key{key % entries}; @key{(key + 1) % entries}, p. {key % 300 + 1}"
        parts.append(f"{sentence.capitalize()} [{cites}].\n")
        count, key = count + 20, key + 2
    return "\n".join(parts)


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr}")
    return elapsed


def bench_check(root: Path) -> None:
    import pypandoc

    root.mkdir(parents=True)
    (root / "_quarto.yml").write_text(
        "project:\n  type: manuscript\nmanuscript:\n  article: index.qmd\nbibliography: refs.bib\n"
    )
    (root / "refs.bib").write_text(bibliography(ENTRIES))
    text = manuscript(WORDS, ENTRIES)
    (root / "index.qmd").write_text(text)
    galley = [sys.executable, "-m", "galley", "check", "--offline", "--project", str(root)]
    pandoc = [pypandoc.get_pandoc_path(), "-f", "markdown", "--citeproc", "-t", "plain"]
    pandoc += ["index.qmd", "-o", "out.txt"]
    check_cold = timed(galley, root)
    check_warm = timed(galley, root)
    baseline = timed(pandoc, root)
    print(f"manuscript: {len(text.split()):,} words, {ENTRIES:,} entries")
    print(f"galley check --offline, cold: {check_cold:6.2f} s")
    print(f"galley check --offline, warm: {check_warm:6.2f} s (citeproc-py verdicts cached)")
    print(f"pandoc --citeproc -t plain:   {baseline:6.2f} s")
    print(f"ratio check/pandoc, cold: {check_cold / baseline:.2f}  (target <= 1.0)")
    print(f"ratio check/pandoc, warm: {check_warm / baseline:.2f}")


class Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


def serve(port: multiprocessing.Queue[int]) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    server.daemon_threads = True
    port.put(server.server_address[1])
    server.serve_forever()


def bench_links(root: Path) -> None:
    # The server runs in its own process, so it does not compete with the checker for the GIL.
    port: multiprocessing.Queue[int] = multiprocessing.Queue()
    process = multiprocessing.Process(target=serve, args=(port,), daemon=True)
    process.start()
    base = f"http://127.0.0.1:{port.get(timeout=10)}"
    uses = [LinkUse(f"{base}/page/{i}", "index.qmd", i + 1) for i in range(URLS)]
    # One host serves all 1,000 URLs here, so its per-host limit is raised, as a user would
    # for a host they own.
    config = LinkConfig(timeout=5, hosts={"127.0.0.1": HostConfig(per_host=8, timeout=5)})
    start = time.perf_counter()
    findings = check_links(root, uses, config)
    first = time.perf_counter() - start
    start = time.perf_counter()
    check_links(root, uses, config)
    cached = time.perf_counter() - start
    process.terminate()
    process.join()
    assert findings == [], findings[:3]
    print(f"links: {URLS:,} URLs in {first:.2f} s = {URLS / first:,.0f} URLs/s (target >= 500)")
    print(f"links: cached rerun {cached:.3f} s, ratio {cached / first:.3f} (target <= 0.1)")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="galley-bench-check-") as folder:
        bench_check(Path(folder) / "check")
        bench_links(Path(folder) / "links")


if __name__ == "__main__":
    main()
