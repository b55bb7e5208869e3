"""`_manuscript/diff.html` in Chromium: the changes are marked where a reader sees them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import DESKTOP, PHONE, Reader
from tests.diff.conftest import Revised

pytestmark = pytest.mark.browser


def test_inserted_and_deleted_words_are_marked_on_the_page(
    browser: Browser, revised: Revised
) -> None:
    reader = Reader(browser, (revised.output / "diff.html").as_uri(), DESKTOP)
    try:
        page = reader.page
        sentence = page.locator("section.change", has_text="million people").first
        deleted = sentence.locator("del", has_text="involved as active drug users")
        inserted = sentence.locator("ins", has_text="drugs")
        deleted.wait_for(state="visible")
        inserted.wait_for(state="visible")
        struck = deleted.evaluate("e => getComputedStyle(e).textDecorationLine")
        underlined = inserted.evaluate("e => getComputedStyle(e).textDecorationLine")
        colours = [
            element.evaluate("e => getComputedStyle(e).backgroundColor")
            for element in (deleted, inserted)
        ]
        cell = page.locator("td.changed", has_text="Modern forensic")
        cell_marks = cell.locator("del, ins").all_inner_texts()
        images = page.eval_on_selector_all(
            "section.change .pair img", "(imgs) => imgs.map((img) => img.naturalWidth)"
        )
    finally:
        reader.close()
    assert struck == "line-through"
    assert underlined == "underline"
    assert len(set(colours)) == 2 and "rgba(0, 0, 0, 0)" not in colours
    assert cell_marks == ["technology", "laboratories"]
    assert len(images) == 2 and all(width > 0 for width in images)
    assert reader.errors == []
    assert [url for url in reader.requests[1:] if not url.startswith("data:")] == []


def test_the_page_fits_a_phone_without_sideways_scrolling(
    browser: Browser, revised: Revised
) -> None:
    reader = Reader(browser, (revised.output / "diff.html").as_uri(), PHONE, is_mobile=True)
    try:
        widths = reader.page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
    finally:
        reader.close()
    assert widths[0] <= widths[1]
