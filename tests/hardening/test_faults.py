"""Faults a build survives: SIGKILL at many moments, a crashing script, a disk-full write, and a
second build started while one runs. After each, the previous `_manuscript/` and `figures/`
hold whole files only (each one its old bytes, or the new build's), no temporary file is left
once the next build ran, and that build gives what a clean build gives."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import copy_project
from tests.hardening.conftest import run

OUTPUTS = ("_manuscript", "figures")
# Pandoc stamps DOCX files with this date rather than the clock; Typst stamps PDFs with the clock,
# so PDFs are compared by their text, and the manifest without its timings.
ENV = {"SOURCE_DATE_EPOCH": "1700000000"}
KILL_DELAYS = (0.05, 0.2, 0.4, 0.7, 1.0, 1.3, 1.6, 2.0)


def _content(path: Path) -> str:
    if path.suffix == ".pdf":
        text = "\f".join(
            page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages
        )
        return "pdf:" + hashlib.sha256(text.encode()).hexdigest()
    if path.name == "manifest.json":
        data = json.loads(path.read_text(encoding="utf-8"))
        for step in data.get("steps", []):
            step.pop("duration_s", None)
            step.pop("reason", None)
        return "manifest:" + hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(root: Path, content: bool = False) -> dict[str, str]:
    """Every output file: its bytes' hash, or (`content`) its comparable content."""
    files = {}
    for folder in OUTPUTS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                rel = path.relative_to(root).as_posix()
                files[rel] = (
                    _content(path) if content else hashlib.sha256(path.read_bytes()).hexdigest()
                )
    return files


def leftovers(root: Path) -> list[str]:
    tmp = [p.name for p in (root / ".galley" / "tmp").glob("*")]
    strays = [p.relative_to(root).as_posix() for p in root.rglob(".*.tmp")]
    return tmp + strays


def change_sources(root: Path) -> None:
    """An edit that changes the text and makes a figure step run again."""
    article = root / "manuscript" / "index.qmd"
    article.write_text(
        article.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8"
    )
    script = root / "scripts" / "fig_milestones.py"
    script.write_text(script.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    assert run("build", cwd=root, env=ENV).returncode == 0
    return root


@pytest.fixture(scope="module")
def reference(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """What a clean build of the edited project gives."""
    root = copy_project(tmp_path_factory.mktemp("reference") / "project")
    change_sources(root)
    assert run("build", cwd=root, env=ENV).returncode == 0
    return snapshot(root, content=True)


def _copy(built: Path, dest: Path) -> Path:
    shutil.copytree(built, dest, symlinks=True)
    return dest


def assert_recovers(root: Path, before: dict[str, str], reference: dict[str, str]) -> None:
    """Whole files only; then the next build cleans up and equals a clean build."""
    after, after_content = snapshot(root), snapshot(root, content=True)
    for rel, digest in after.items():
        assert digest == before.get(rel) or after_content[rel] == reference.get(rel), rel
    result = run("build", cwd=root, env=ENV)
    assert result.returncode == 0, result.stderr
    assert snapshot(root, content=True) == reference
    assert leftovers(root) == []


@pytest.mark.slow
@pytest.mark.parametrize("delay", KILL_DELAYS)
def test_a_build_killed_at_any_moment_loses_nothing(
    built: Path, reference: dict[str, str], tmp_path: Path, delay: float
) -> None:
    root = _copy(built, tmp_path / "project")
    before = snapshot(root)
    change_sources(root)
    build = subprocess.Popen(
        [sys.executable, "-m", "galley", "build"],
        cwd=root,
        env={**os.environ, **ENV},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill reaches pandoc and the scripts too
    )
    time.sleep(delay)
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()
    assert_recovers(root, before, reference)


def test_a_crashing_script_leaves_the_outputs_as_they_were(built: Path, tmp_path: Path) -> None:
    root = _copy(built, tmp_path / "project")
    before = snapshot(root)
    script = root / "scripts" / "fig_prevalence.py"
    script.write_text(
        script.read_text(encoding="utf-8") + "\nraise RuntimeError('crashed after writing')\n",
        encoding="utf-8",
    )
    result = run("build", cwd=root, env=ENV)
    assert result.returncode == 1
    assert "Traceback" in result.stderr  # the script's own, in the tail; galley's message first
    assert result.stderr.splitlines()[1].startswith(
        "galley: error: scripts/fig_prevalence.py: step `prevalence` failed"
    )
    assert snapshot(root) == before
    assert leftovers(root) == []


def _limit_file_size() -> None:
    # Files over 100 kB cannot be written: the PDF, DOCX and figures fail as on a full disk.
    resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))


@pytest.mark.slow
def test_a_write_that_fails_as_on_a_full_disk_loses_nothing(
    built: Path, reference: dict[str, str], tmp_path: Path
) -> None:
    root = _copy(built, tmp_path / "project")
    before = snapshot(root)
    change_sources(root)
    result = subprocess.run(
        [sys.executable, "-m", "galley", "build"],
        cwd=root,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback (most recent call last)" not in result.stderr.split("galley: error:")[0]
    # The first write over the limit fails: a figure script's (the step fails with the script's
    # stderr), or galley's own (one line naming the file).
    errors = [line for line in result.stderr.splitlines() if line.startswith("galley: error:")]
    assert len(errors) == 1, result.stderr
    assert "File too large" in result.stderr
    assert re.fullmatch(
        r"galley: error: (cannot write \S+: File too large; free some disk space, then run galley "
        r"again|scripts/fig_\w+\.py: step `\w+` failed: .*)",
        errors[0],
    ), result.stderr
    assert snapshot(root) == before
    assert_recovers(root, before, reference)


def _text(path: Path) -> str:
    """A file's text, or "" while it does not exist."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        return ""


def test_a_second_build_at_once_gets_the_lock_message(built: Path, tmp_path: Path) -> None:
    root = _copy(built, tmp_path / "project")
    change_sources(root)
    first = subprocess.Popen(
        [sys.executable, "-m", "galley", "build"],
        cwd=root,
        env={**os.environ, **ENV},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lock, holder = root / ".galley" / "build.lock", root / ".galley" / "build.pid"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _text(holder) != f"{first.pid}\nbuild":
        time.sleep(0.01)
    second = run("build", cwd=root, env=ENV)
    assert first.wait(timeout=120) == 0, first.stderr.read() if first.stderr else ""
    assert second.returncode == 1
    assert second.stderr == (
        f"galley: error: {lock}: another `galley build` is running on this project "
        f"(pid {first.pid}); wait for it to finish, then run `galley build` again\n"
    )
    assert leftovers(root) == []
    assert run("build", cwd=root, env=ENV).stderr.startswith("galley: up to date")


def test_a_full_disk_while_rendering_is_one_line_naming_the_file(
    built: Path, tmp_path: Path
) -> None:
    root = _copy(built, tmp_path / "project")
    before = snapshot(root)
    article = root / "manuscript" / "index.qmd"
    article.write_text(article.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "galley", "build"],
        cwd=root,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
        check=False,
    )
    assert result.returncode == 1
    assert re.fullmatch(
        r"galley: error: cannot write \S+: File too large; free some disk space, then run galley "
        r"again",
        result.stderr.splitlines()[-1],
    ), result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(root) == before
    assert run("build", cwd=root, env=ENV).returncode == 0
    assert leftovers(root) == []
