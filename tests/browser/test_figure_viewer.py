"""The figure viewer on a phone and at its own size, and Figure 2 legible in the column."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import PHONE, Reader
from tests.conftest import REPO

pytestmark = pytest.mark.browser
VIEWER_IMAGE = "dialog.galley-lightbox[open] img.galley-lightbox-image"
DPI = 300  # scripts/style.py writes every figure at 300 dpi


def test_on_a_phone_the_whole_figure_and_caption_fit_the_screen(phone: Reader) -> None:
    page = phone.page
    page.locator("#fig-milestones .galley-zoom").click()
    page.locator(VIEWER_IMAGE).wait_for(state="visible")
    image = page.locator(VIEWER_IMAGE).bounding_box()
    dialog = page.locator("dialog.galley-lightbox[open]").bounding_box()
    assert image is not None and dialog is not None
    assert image["x"] >= 0 and image["x"] + image["width"] <= PHONE["width"]
    assert image["y"] >= 0 and image["y"] + image["height"] <= PHONE["height"]
    assert dialog["width"] <= PHONE["width"] and dialog["height"] <= PHONE["height"]
    assert page.locator("dialog.galley-lightbox[open] figcaption").is_visible()
    page.locator(".galley-lightbox-close").click()
    assert page.locator("dialog.galley-lightbox[open]").count() == 0


def test_actual_size_shows_every_pixel_and_fit_returns(phone: Reader) -> None:
    page = phone.page
    page.locator("#fig-milestones .galley-zoom").click()
    image = page.locator(VIEWER_IMAGE)
    image.wait_for(state="visible")
    toggle = page.locator(".galley-lightbox-actual")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    natural, shown = image.evaluate(
        "(img) => [img.naturalWidth, img.getBoundingClientRect().width]"
    )
    assert shown == pytest.approx(natural, abs=1)
    assert toggle.get_attribute("aria-pressed") == "true"
    toggle.click()
    box = image.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]


def test_milestone_labels_are_at_least_11_px_in_the_desktop_column(desktop: Reader) -> None:
    label_pt = float(
        re.search(r"^LABEL_PT = ([\d.]+)", (REPO / "scripts/fig_milestones.py").read_text(), re.M)[
            1
        ]  # type: ignore[index]
    )
    natural, shown = desktop.page.locator("#fig-milestones img").evaluate(
        "(img) => [img.naturalWidth, img.getBoundingClientRect().width]"
    )
    label_px = label_pt / 72 * DPI * shown / natural  # the text's size on screen, in CSS px
    assert label_px >= 11
