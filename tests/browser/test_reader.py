"""The reading aids, used as a reviewer uses them: in headless Chromium, from the file system."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import DESKTOP, PHONE, Reader

pytestmark = pytest.mark.browser

IN_VIEW = """(id) => {
  const box = document.getElementById(id).getBoundingClientRect();
  return box.top >= -1 && box.top < window.innerHeight && box.bottom > 0;
}"""


def normalised(text: str) -> str:
    return " ".join(text.split())


def popup_text(page: Page) -> str:
    popup = page.locator("#galley-popup")
    popup.wait_for(state="visible")
    return normalised(popup.inner_text())


def test_clicking_a_cross_reference_brings_its_figure_into_view(desktop: Reader) -> None:
    page = desktop.page
    link = page.locator('a.quarto-xref[href="#fig-milestones"]').first
    page.evaluate("window.scrollTo(0, 0)")
    assert not page.evaluate(IN_VIEW, "fig-milestones")
    link.click()
    page.wait_for_function(f"({IN_VIEW})('fig-milestones')")
    assert page.url.endswith("#fig-milestones")
    assert desktop.errors == []


def test_hovering_a_citation_shows_its_full_reference(desktop: Reader) -> None:
    page = desktop.page
    page.locator('a[href="#ref-newman2001"]').first.hover()
    entry = normalised(page.locator("#ref-newman2001").inner_text())
    shown = popup_text(page)
    assert shown == re.sub(r"(?: ↩(?: \d+)?)+$", "", entry)  # without its links back
    assert shown.startswith("Newman, E. (2001).")
    citation = page.locator('a[href="#ref-newman2001"]').first
    assert citation.get_attribute("aria-describedby") == "galley-popup"


def test_hovering_a_cross_reference_previews_the_figure(desktop: Reader) -> None:
    page = desktop.page
    page.locator('a.quarto-xref[href="#fig-prevalence"]').first.hover()
    shown = popup_text(page)
    assert shown.startswith("Figure 1: Past-year prevalence of drug use in Indonesia")
    assert page.locator("#galley-popup img").count() == 1
    assert page.locator("#galley-popup [id]").count() == 0  # ids stay unique in the page


def test_hovering_a_table_reference_previews_the_table(desktop: Reader) -> None:
    page = desktop.page
    page.locator('a.quarto-xref[href="#tbl-sources"]').first.hover()
    assert popup_text(page).startswith("Table 1:")
    assert page.locator("#galley-popup table").count() == 1


def test_source_note_is_a_hover_card_with_script_and_data_hash(desktop: Reader) -> None:
    page = desktop.page
    notes = page.locator(".galley-source-note")
    assert notes.count() == 4
    assert all(not note.is_visible() for note in notes.all())
    page.locator("#fig-prevalence + .galley-source-button").hover()
    shown = popup_text(page)
    assert re.search(
        r"Source: scripts/fig_prevalence\.py; data/prevalence\.csv sha256:[0-9a-f]{8}", shown
    )
    page.locator("#fig-prevalence + .galley-source-button").click()
    assert notes.first.is_visible()


def test_figure_opens_fitted_to_the_screen_and_closes_with_escape(desktop: Reader) -> None:
    page = desktop.page
    page.locator("#fig-prevalence .galley-zoom").click()
    image = page.locator("dialog.galley-lightbox[open] img.galley-lightbox-image")
    image.wait_for(state="visible")
    box = image.bounding_box()
    assert box is not None and box["width"] > 0
    assert box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP["width"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= DESKTOP["height"]
    page.keyboard.press("Escape")
    assert page.locator("dialog.galley-lightbox[open]").count() == 0


def test_contents_mark_the_section_being_read(desktop: Reader) -> None:
    page = desktop.page
    assert page.locator("#TOC").is_visible()
    page.evaluate("document.getElementById('sec-results').scrollIntoView()")
    # The first section is marked from the top of the page: wait for the mark to move, as the
    # page updates it when the scroll settles.
    page.locator('#TOC a[aria-current="location"][href="#sec-results"]').wait_for()
    assert page.locator('#TOC a[aria-current="location"]').count() == 1
    box = page.locator("#TOC").bounding_box()
    assert box is not None and box["y"] >= 0  # the contents stay in view while reading


def test_phone_reader_opens_the_contents_and_follows_a_section_link(phone: Reader) -> None:
    page = phone.page
    toc_list = page.locator("#TOC details > ul")
    assert not toc_list.is_visible()  # closed on a phone until asked for
    page.evaluate("window.scrollTo(0, document.getElementById('sec-results').offsetTop)")
    before = page.evaluate("window.scrollY")
    box = page.locator("#TOC summary").bounding_box()
    assert box is not None and box["y"] == pytest.approx(0, abs=2)  # the bar stays at the top
    # A tap at the bar's place (a locator's click would first scroll the page to it).
    page.mouse.click(box["x"] + 20, box["y"] + box["height"] / 2)
    assert toc_list.is_visible()
    assert page.evaluate("window.scrollY") == before  # the list opens over the text
    page.locator('#TOC a[href="#sec-methods"]').click()
    page.wait_for_function(f"({IN_VIEW})('sec-methods')")
    assert page.url.endswith("#sec-methods")
    assert not toc_list.is_visible()  # closed again, out of the way
    assert "Methods" in page.locator("#TOC .toc-current").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing runs off the side of the screen


def test_no_request_leaves_the_file_system(desktop: Reader) -> None:
    page = desktop.page
    page.locator('a[href="#ref-newman2001"]').first.hover()
    page.locator("#fig-prevalence .galley-zoom").click()
    page.keyboard.press("Escape")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(200)
    assert desktop.requests, "the page made no request at all: the recorder is broken"
    outside = [url for url in desktop.requests if not url.startswith(("file://", "data:"))]
    assert outside == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violation(
    browser: Browser, article_html: Path, axe_js: str, scheme: str
) -> None:
    reader = Reader(browser, article_html.as_uri(), DESKTOP, color_scheme=scheme)
    try:
        reader.page.add_script_tag(content=axe_js)
        result = reader.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    finally:
        reader.close()
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("name", "viewport", "scheme"),
    [("desktop", DESKTOP, "light"), ("phone", PHONE, "light"), ("desktop-dark", DESKTOP, "dark")],
)
def test_first_page_screenshots(
    browser: Browser,
    article_html: Path,
    screenshots: Path,
    name: str,
    viewport: dict[str, int],
    scheme: str,
) -> None:
    reader = Reader(browser, article_html.as_uri(), viewport, color_scheme=scheme)
    try:
        path = screenshots / f"first-page-{name}.png"
        reader.page.screenshot(path=str(path))
    finally:
        reader.close()
    assert path.stat().st_size > 10_000


def test_print_shows_the_source_notes_and_hides_the_navigation(desktop: Reader) -> None:
    page = desktop.page
    page.emulate_media(media="print")
    assert not page.locator("#TOC").is_visible()
    assert not page.locator(".other-formats").first.is_visible()
    assert page.locator(".galley-source-note").first.is_visible()
    assert not page.locator(".galley-source-button").first.is_visible()
