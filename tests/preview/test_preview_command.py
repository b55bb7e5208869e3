"""`galley preview` on the command line, in a copy of the article: a data change reruns its step
and the page served shows the new table; Ctrl-C stops it cleanly; a busy port is a clear error."""

from __future__ import annotations

import socket
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from tests.preview.running import RunningPreview, preview


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, RunningPreview]]:
    from tests.conftest import copy_project

    root = copy_project(tmp_path_factory.mktemp("preview-command"))
    with preview(root) as running:
        yield root, running


def page(running: RunningPreview) -> str:
    with urllib.request.urlopen(running.url, timeout=30) as response:
        return str(response.read().decode("utf-8"))


def test_data_change_reruns_only_its_step_and_the_page_shows_it(
    session: tuple[Path, RunningPreview],
) -> None:
    root, running = session
    assert "Modern forensic technology" in page(running)
    csv = root / "data" / "activities.csv"
    before = len(running.stderr)
    csv.write_text(
        csv.read_text("utf-8").replace(
            "Modern forensic technology", "Modern forensic laboratories"
        ),
        "utf-8",
    )
    running.wait_for_log("galley: done in", since=before)
    log = "".join(running.stderr[before:])
    assert "running step `activities`" in log
    assert log.count("running step") == 1  # the other steps' inputs did not change
    assert "Modern forensic laboratories" in page(running)


def save_and_wait(running: RunningPreview, article: Path, old: str, new: str) -> None:
    before = len(running.stderr)
    article.write_text(article.read_text("utf-8").replace(old, new, 1), "utf-8")
    running.wait_for_log("galley: html rendered in", since=before)


def test_sentence_edit_writes_the_html_galley_build_would_write(
    session: tuple[Path, RunningPreview], run_galley: Callable[..., CompletedProcess[str]]
) -> None:
    root, running = session
    article = root / "manuscript" / "index.qmd"
    save_and_wait(running, article, "The main focus", "A sentence. The main focus")
    # A link to a local file the last render did not have: rendered again with that file.
    linked = "A sentence with [its data](../data/activities.csv)."
    save_and_wait(running, article, "A sentence.", linked)
    html = root / "_manuscript" / "manuscript" / "index.html"
    previewed = html.read_bytes()
    assert b'A sentence with <a href="../data/activities.csv">its data</a>.' in previewed
    up_to_date = run_galley("build", "--to", "html", cwd=root)
    assert "galley: up to date (html" in up_to_date.stderr  # the preview recorded its render
    html.unlink()  # the build renders it again, from the same sources
    rebuilt = run_galley("build", "--to", "html", cwd=root)
    assert "rendering html" in rebuilt.stderr, rebuilt.stderr
    assert html.read_bytes() == previewed


def test_bad_data_stays_reported_through_article_edits_until_fixed(
    session: tuple[Path, RunningPreview],
) -> None:
    root, running = session
    csv, article = root / "data" / "activities.csv", root / "manuscript" / "index.qmd"
    good = csv.read_text("utf-8")
    error = "data/activities.csv:3: 2 values for 6 columns"
    before = len(running.stderr)
    csv.write_text(good.replace("\ncap-forensics,", "\nbroken,row\ncap-forensics,", 1), "utf-8")
    running.wait_for_log(error, since=before)
    before = len(running.stderr)
    article.write_text(article.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    running.wait_for_log(error, since=before)  # not a quick render over the bad data
    before = len(running.stderr)
    csv.write_text(good, "utf-8")
    running.wait_for_log("galley: done in", since=before)
    assert "One more sentence." in page(running)


def test_ctrl_c_stops_the_preview_cleanly(session: tuple[Path, RunningPreview]) -> None:
    _, running = session
    assert running.stop() == 0
    log = "".join(running.stderr)
    assert log.endswith("galley: preview stopped\n")
    assert "Traceback" not in log


def test_busy_port_is_a_clear_error(
    project_copy: Path, run_galley: Callable[..., CompletedProcess[str]]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_galley("preview", "--port", str(port), cwd=project_copy)
    assert result.returncode == 2
    assert result.stderr == (
        f"galley: error: cannot serve on 127.0.0.1:{port}: Address already in use; choose "
        "another port with --port (0: any free port)\n"
    )
