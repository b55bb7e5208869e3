"""`galley preview` in headless Chromium: a saved edit appears in the open page, which keeps its
scroll position; a bad edit shows its error, as text, over the last good page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import DESKTOP
from tests.conftest import copy_project
from tests.preview.running import RunningPreview, preview

pytestmark = pytest.mark.browser

WAIT_MS = 120_000  # a rebuild on a loaded 2-core machine; the test waits for it, never times it
ANCHOR = "The main focus of this study"
SCROLLED = 1500
READY = "document.documentElement.dataset.galleyPreview === 'ready'"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("preview"))


@pytest.fixture(scope="module")
def running(project: Path) -> Iterator[RunningPreview]:
    with preview(project) as session:
        yield session
    assert session.process.returncode == 0
    assert "Traceback" not in "".join(session.stderr)


@pytest.fixture
def page(browser: Browser, running: RunningPreview) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
    opened = context.new_page()
    opened.set_default_timeout(WAIT_MS)
    opened.goto(running.url)
    opened.wait_for_function(READY)
    yield opened
    context.close()


def edit(project: Path, old: str, new: str) -> None:
    article = project / "manuscript" / "index.qmd"
    text = article.read_text(encoding="utf-8")
    assert old in text
    article.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_saved_edit_appears_in_the_page_at_the_same_scroll_position(
    page: Page, project: Path, running: RunningPreview
) -> None:
    page.evaluate(f"window.scrollTo(0, {SCROLLED})")
    sentence = "A sentence the author has just saved."
    since = len(running.stderr)
    edit(project, ANCHOR, f"{sentence} {ANCHOR}")
    page.get_by_text(sentence).wait_for(state="attached")
    page.wait_for_function(READY)
    assert page.evaluate("window.scrollY") == SCROLLED
    # The paragraph is shown at once; the whole HTML is written when the author pauses.
    running.wait_for_log("galley: html rendered", since)
    on_disk = (project / "_manuscript" / "manuscript" / "index.html").read_text(encoding="utf-8")
    assert sentence in on_disk
    assert "__galley__" not in on_disk  # the reload script is in the served page only


def test_bad_edit_shows_its_error_as_text_and_keeps_the_last_good_page(
    page: Page, project: Path, running: RunningPreview
) -> None:
    title = page.locator("h1.title").inner_text()
    markup = "<img src=x onerror=window.pwned=1>"
    edit(project, "---\n", f'---\n"{markup}": 1\n"{markup}": 2\n')
    banner = page.locator("#galley-preview-error")
    banner.wait_for(state="visible")
    shown = banner.inner_text()
    assert f"manuscript/index.qmd:3: invalid YAML front matter: key `{markup}`" in shown
    assert banner.locator("*").count() == 0  # the message is text, never markup
    assert page.evaluate("window.pwned") is None
    assert page.locator("h1.title").inner_text() == title  # the last good page stays
    running.wait_for_log("galley: error: manuscript/index.qmd:3: invalid YAML front matter")

    edit(project, f'"{markup}": 1\n"{markup}": 2\n', "")
    page.wait_for_function("!document.getElementById('galley-preview-error')")
    assert page.locator("h1.title").inner_text() == title
