"""Callouts in a real browser: a collapsed one opens with a click or the keyboard, the icons are
drawn from the page itself, and axe finds nothing serious in light or dark mode."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import DESKTOP, Reader
from tests.render.test_callouts import CALLOUTS, build
from tests.render.test_crossrefs import make_project

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def callouts_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(make_project(tmp_path_factory.mktemp("callouts"), CALLOUTS), "html")


@pytest.fixture
def reader(browser: Browser, callouts_html: Path) -> Iterator[Reader]:
    reader = Reader(browser, callouts_html.as_uri(), DESKTOP)
    yield reader
    reader.close()


def test_a_collapsed_callout_opens_on_click_and_with_the_keyboard(reader: Reader) -> None:
    page = reader.page
    body = page.get_by_text("Body two.")
    assert not body.is_visible()
    page.locator("summary", has_text="Given title").click()
    assert body.is_visible()
    page.keyboard.press("Enter")  # the summary keeps the focus: Enter closes it again
    assert not body.is_visible()
    assert page.get_by_text("Open body.").is_visible()
    assert reader.errors == []


def test_icons_are_drawn_from_the_page_and_nothing_is_requested(reader: Reader) -> None:
    mask = reader.page.evaluate(
        "getComputedStyle(document.querySelector('#nte-a .callout-icon')).maskImage"
    )
    assert mask.startswith('url("data:image/svg+xml,')
    assert reader.page.locator("#tip-b .callout-icon").is_hidden()
    outside = [url for url in reader.requests if not url.startswith(("file://", "data:"))]
    assert outside == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_in_callouts(
    browser: Browser, callouts_html: Path, axe_js: str, scheme: str
) -> None:
    reader = Reader(browser, callouts_html.as_uri(), DESKTOP, color_scheme=scheme)
    try:
        reader.page.add_script_tag(content=axe_js)
        result = reader.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    finally:
        reader.close()
    problems = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert problems == []
