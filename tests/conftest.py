"""Shared fixtures: copies of the real project in temporary folders, built with real tools."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# The article as the authors published it (a copy of shared/seed/article.txt): the reference the
# rendered outputs are compared with.
SEED = REPO / "tests" / "data" / "seed-article.txt"
# What a clean clone holds of the paper (generated files and caches are left out).
PROJECT_FILES = (
    "_quarto.yml", "pyproject.toml", "references.bib", "apa.csl", "manuscript", "data", "scripts",
    "_extensions",
)  # fmt: skip


CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
CHROMIUM_NAMES = ("chromium", "chromium-browser")


def find_chromium() -> tuple[str | None, str]:
    """The Chromium the browser tests drive, or None and where none was found: the one
    GALLEY_CHROMIUM names (and only it, when it is set), else `chromium` on PATH, else the one
    Playwright installed (`playwright install chromium`)."""
    named = os.environ.get("GALLEY_CHROMIUM")
    if named:
        return (named, "") if Path(named).is_file() else (None, f"no Chromium at {named}")
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found, ""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        bundled = playwright.chromium.executable_path
    if Path(bundled).is_file():
        return bundled, ""
    return None, "no Chromium (GALLEY_CHROMIUM is unset, none on PATH, none from Playwright)"


@pytest.fixture(scope="session")
def chromium() -> str:
    """Every browser test's Chromium; without one the test is skipped, saying why, except
    where GALLEY_REQUIRE_CHROMIUM is set (CI, which installs it), where that is a failure."""
    found, missing = find_chromium()
    if found is None:
        missing += ": install Debian's `chromium` (see .ci/run)"
        if os.environ.get("GALLEY_REQUIRE_CHROMIUM"):
            pytest.fail(missing)
        pytest.skip(f"browser tests skipped: {missing}, or run `pytest -m 'not browser'`")
    return found


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / name)
    return dest


def galley(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real `galley` command line in `cwd`."""
    return subprocess.run(
        [sys.executable, "-m", "galley", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONUTF8": "1"},
        check=False,
    )


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The article, built once for the session into all three formats."""
    root = copy_project(tmp_path_factory.mktemp("article"))
    result = galley("build", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture
def run_galley() -> Callable[..., subprocess.CompletedProcess[str]]:
    return galley


@contextmanager
def loopback_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1, on a free port, answering with `handler`: its address."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
