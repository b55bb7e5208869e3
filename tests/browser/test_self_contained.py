"""`galley build --self-contained`: one HTML file that reads the same on its own, e-mailed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import DESKTOP, Reader

pytestmark = pytest.mark.browser


def test_the_html_alone_shows_every_figure_without_any_request(
    browser: Browser, self_contained_outputs: Path, tmp_path: Path
) -> None:
    alone = tmp_path / "mailed" / "article.html"
    alone.parent.mkdir()
    shutil.copy(self_contained_outputs / "index.html", alone)
    reader = Reader(browser, alone.as_uri(), DESKTOP)
    try:
        sizes = reader.page.eval_on_selector_all(
            "main img", "(imgs) => imgs.map((img) => img.naturalWidth)"
        )
        reader.page.locator('a[href="#ref-newman2001"]').first.hover()
        reader.page.locator("#galley-popup").wait_for(state="visible")
    finally:
        reader.close()
    assert len(sizes) == 2 and all(width > 0 for width in sizes)
    assert reader.requests[0] == alone.as_uri()
    assert [url for url in reader.requests[1:] if not url.startswith("data:")] == []
    assert reader.errors == []
