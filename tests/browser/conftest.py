"""Headless Chromium (Debian's `chromium`, driven by Playwright for Python) on the built article,
opened from disk as a reviewer opens it."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import CHROMIUM_ARGS, REPO
from tests.diff.conftest import revised  # noqa: F401 (a fixture)
from tests.edition.conftest import self_contained_outputs  # noqa: F401 (a fixture)

OUTPUT = REPO / "tests" / "output"
SCREENSHOTS = OUTPUT / "screenshots"
# axe-core comes from the npm registry; installed once into the (git-ignored) output folder.
AXE_PREFIX = OUTPUT / "npm"
AXE_JS = AXE_PREFIX / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


# Autouse, so that every test here skips (or, in CI, fails) before the (slow) built article a
# browser test needs, when there is no Chromium.
@pytest.fixture(scope="session", autouse=True)
def chromium_first(chromium: str) -> str:
    return chromium


# Package scope: Playwright's sync API holds an event loop open while it runs, which would break
# later tests (in other folders) that call asyncio.run.
@pytest.fixture(scope="package")
def browser(chromium: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def article_html(built_project: Path) -> Path:
    return built_project / "_manuscript" / "manuscript" / "index.html"


@pytest.fixture(scope="session")
def axe_js() -> str:
    if not AXE_JS.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install axe-core for the accessibility test")
        subprocess.run(
            [npm, "install", "--prefix", str(AXE_PREFIX), "--no-audit", "--no-fund",
             "--loglevel=error", "axe-core@4"],
            check=True,
        )  # fmt: skip
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


class Reader:
    """A page of the article in its own browser context, with every request it made."""

    def __init__(self, browser: Browser, url: str, viewport: dict[str, int], **context: object):
        self.context = browser.new_context(viewport=viewport, **context)  # type: ignore[arg-type]
        self.page: Page = self.context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(url)
        self.page.wait_for_load_state("load")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def desktop(browser: Browser, article_html: Path) -> Iterator[Reader]:
    reader = Reader(browser, article_html.as_uri(), DESKTOP)
    yield reader
    reader.close()


@pytest.fixture
def phone(browser: Browser, article_html: Path) -> Iterator[Reader]:
    reader = Reader(browser, article_html.as_uri(), PHONE, is_mobile=True, has_touch=True)
    yield reader
    reader.close()
