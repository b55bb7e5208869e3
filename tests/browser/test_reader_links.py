"""The reader's links, in headless Chromium from the file system: the data behind each figure and
table one click away, grouped citations previewing every work, a tap on a touch screen that
previews before it follows, links back from the references, link icons, figure paging."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import DESKTOP, PHONE, Reader
from tests.browser.test_reader import IN_VIEW, normalised, popup_text

pytestmark = pytest.mark.browser


def _on_disk(url: str) -> Path:
    return Path(unquote(urlparse(url).path))


def test_each_source_notes_files_are_beside_the_page_as_the_project_has_them(
    desktop: Reader, built_project: Path
) -> None:
    page = desktop.page
    hrefs = page.eval_on_selector_all(
        ".galley-source-note a", "(links) => links.map((a) => [a.textContent, a.href])"
    )
    files = [(text, url) for text, url in hrefs if text != "notebook"]
    assert {"data/prevalence.csv", "data/datapackage.json", "references.bib"} <= {
        text for text, _ in files
    }
    for text, url in files:
        assert url.startswith("file://"), url
        assert _on_disk(url).read_bytes() == (built_project / text).read_bytes(), text


def test_a_notebook_link_opens_a_readable_page_with_the_figure(desktop: Reader) -> None:
    page = desktop.page
    page.locator("#fig-prevalence + .galley-source-button").click()
    page.locator('.galley-source-note a:text-is("notebook")').first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/notebooks/prevalence.html")
    assert page.locator("h1").first.inner_text().startswith("Step prevalence")
    widths = page.eval_on_selector_all("img", "(imgs) => imgs.map((img) => img.naturalWidth)")
    assert widths and all(width > 0 for width in widths)  # the figure shows, from inside
    assert page.locator("th", has_text="past_year_prevalence_pct").count() == 1
    assert page.locator('a[href="prevalence.ipynb"]').count() == 1
    assert [url for url in desktop.requests if not url.startswith(("file://", "data:"))] == []


def test_a_grouped_citation_previews_every_work_in_the_order_printed(desktop: Reader) -> None:
    page = desktop.page
    group = page.locator('.citation[data-cites="newman2001 paris2001 wendt1992"]').first
    group.locator('a[href="#ref-paris2001"]').hover()
    shown = popup_text(page)
    entries = page.locator("#galley-popup .csl-entry")
    assert entries.count() == 3
    assert shown.startswith("Newman, E. (2001).")
    assert shown.index("Paris, R. (2001).") < shown.index("Wendt, A. (1992).")


def test_a_tap_previews_a_citation_and_a_second_tap_follows_it(phone: Reader) -> None:
    page = phone.page
    link = page.locator('main p a[href="#ref-paris2001"]').first
    link.scroll_into_view_if_needed()
    link.tap()
    assert popup_text(page).startswith("Paris, R. (2001).")
    assert "#" not in page.url  # the first tap did not jump to the list
    link.tap()
    page.wait_for_function(f"({IN_VIEW})('ref-paris2001')")
    assert page.url.endswith("#ref-paris2001")
    assert page.locator("#galley-popup").is_hidden()
    assert phone.errors == []


def test_a_tap_previews_a_cross_reference_and_a_tap_elsewhere_closes_it(phone: Reader) -> None:
    page = phone.page
    link = page.locator('a.quarto-xref[href="#tbl-sources"]').first
    link.scroll_into_view_if_needed()
    link.tap()
    assert popup_text(page).startswith("Table 1:")
    page.locator("main p").nth(3).tap()
    assert page.locator("#galley-popup").is_hidden()
    assert "#" not in page.url


def test_a_reference_links_back_to_each_place_that_cites_it(desktop: Reader) -> None:
    page = desktop.page
    backs = page.locator("#ref-paris2001 .galley-backlinks a")
    cites = page.locator('main a[href="#ref-paris2001"]:not(.csl-entry a)')
    assert backs.count() == cites.count() >= 2
    backs.nth(1).click()
    target = cites.nth(1).get_attribute("id")
    assert target and page.url.endswith("#" + target)
    page.wait_for_function(f"({IN_VIEW})({target!r})")


def test_a_link_icon_leads_to_its_table_and_copies_its_address(
    browser: Browser, article_html: Path
) -> None:
    reader = Reader(
        browser, article_html.as_uri(), DESKTOP, permissions=["clipboard-read", "clipboard-write"]
    )
    try:
        page = reader.page
        icon = page.locator("#tbl-activities .galley-anchor")
        page.locator("#tbl-activities caption, #tbl-activities figcaption").first.hover()
        icon.click()
        assert page.url.endswith("#tbl-activities")
        page.wait_for_function("document.querySelector('#tbl-activities .galley-copied')")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == article_html.as_uri() + "#tbl-activities"
        assert page.locator("main h1 .galley-anchor").count() >= 4  # each section heading
    finally:
        reader.close()


def test_the_viewer_pages_from_figure_to_figure(desktop: Reader) -> None:
    page = desktop.page
    page.locator("#fig-prevalence .galley-zoom").click()
    caption = page.locator(".galley-lightbox-caption")
    assert normalised(caption.inner_text()).startswith("Figure 1:")
    page.locator(".galley-lightbox-next").click()
    assert normalised(caption.inner_text()).startswith("Figure 2:")
    assert page.locator(".galley-lightbox-where").inner_text() == "2 / 2"
    page.keyboard.press("ArrowLeft")
    assert normalised(caption.inner_text()).startswith("Figure 1:")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_contents_mark_the_first_section_from_the_top(
    browser: Browser, article_html: Path, viewport: dict[str, int]
) -> None:
    reader = Reader(browser, article_html.as_uri(), viewport)
    try:
        marked = reader.page.eval_on_selector_all(
            "#TOC a.active", "(links) => links.map((a) => a.textContent.trim())"
        )
        bar = reader.page.locator("#TOC .toc-current").inner_text()
    finally:
        reader.close()
    assert marked == ["1 Introduction"] or marked == ["1  Introduction"]
    assert viewport == DESKTOP or normalised(bar) == "1 Introduction"


def test_the_tables_fit_a_phone_without_cutting_text(phone: Reader, screenshots: Path) -> None:
    page = phone.page
    for label in ("tbl-sources", "tbl-activities"):
        table = page.locator(f"#{label} table")
        table.scroll_into_view_if_needed()
        overflow = table.evaluate("(t) => [t.scrollWidth, t.clientWidth]")
        assert overflow[0] <= overflow[1], (label, overflow)  # nothing to scroll sideways to
        box = table.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], label
        page.locator(f"#{label}").screenshot(path=screenshots / f"phone-{label}.png")
