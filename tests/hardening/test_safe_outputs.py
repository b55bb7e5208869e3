"""Nothing in the outputs can be turned against a reader: hostile bibliography fields and data
values reach the HTML as text (checked in headless Chromium: no script runs, no dialog opens);
links to other sites carry rel="noopener noreferrer"; and the link checker only speaks http(s),
with bounded redirects, bodies and time, under an honest User-Agent."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from galley.check.config import LinkConfig
from galley.check.links import check_urls
from tests.conftest import CHROMIUM_ARGS, loopback_server
from tests.hardening.conftest import make_project, run

HOSTILE_BIB = r"""@misc{evil,
  author = {<script>window.__pwned = 1</script> and Doe, <img src=x onerror="window.__pwned=2">},
  title = {<script>window.__pwned = 3</script><b onmouseover="window.__pwned=4">Bold</b>},
  url = {javascript:window.__pwned=5},
  doi = {10.1000/"><script>window.__pwned=6</script>},
  note = {<a href="javascript:window.__pwned=7">click</a>},
  year = {2020}
}
@misc{site, title = {Other site}, url = {https://example.org/page}, year = {2021}}
"""
HOSTILE_ARTICLE = """\
---
title: A small article
---

Cites [@evil; @site]. The value is {{< var hostile >}}. See [another site](https://example.org/x).
"""
HOSTILE_VARIABLES = (
    'hostile: "<script>window.__pwned=10</script><img src=x onerror=window.__pwned=11>"\n'
)


@pytest.fixture(scope="module")
def hostile_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(
        tmp_path_factory.mktemp("hostile") / "project",
        {
            "refs.bib": HOSTILE_BIB,
            "index.qmd": HOSTILE_ARTICLE,
            "_variables.yml": HOSTILE_VARIABLES,
        },
    )
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "_manuscript" / "index.html"


@pytest.mark.browser
def test_hostile_fields_and_values_stay_text_in_chromium(chromium: str, hostile_html: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(hostile_html.as_uri())
        page.wait_for_load_state("load")
        # Hover and click everything a reader could: a live handler would fire now.
        page.evaluate(
            "for (const el of document.querySelectorAll('body *')) {"
            " el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); }"
        )
        pwned = page.evaluate("window.__pwned")
        text = page.inner_text("body")
        javascript_links = page.eval_on_selector_all(
            "a[href]", "links => links.map(a => a.href).filter(h => /^\\s*javascript:/i.test(h))"
        )
        handlers = page.eval_on_selector_all(
            "*",
            "els => els.flatMap(e => [...e.attributes].filter(a => /^on/i.test(a.name))"
            ".map(a => e.tagName + ' ' + a.name))",
        )
        browser.close()
    assert pwned is None
    assert dialogs == []
    assert javascript_links == []
    assert handlers == []
    assert "<script>window.__pwned=10</script>" in text  # the data value, shown as text
    assert "window.__pwned = 3" in text  # the title, as text


def test_links_to_other_sites_carry_noopener_noreferrer(hostile_html: Path) -> None:
    import re

    html = hostile_html.read_text(encoding="utf-8")
    external = re.findall(r"<a\b[^>]*href=\"(?:https?:)?//[^\"]*\"[^>]*>", html)
    assert len(external) >= 3  # the article's link, the entry's URL and the DOI
    for tag in external:
        assert 'rel="noopener noreferrer"' in tag, tag


class Handler(BaseHTTPRequestHandler):
    agents: list[str] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        Handler.agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        elif self.path.startswith("/hop/"):
            self.send_response(302)
            self.send_header("Location", f"/hop/{int(self.path.rsplit('/', 1)[1]) + 1}")
            self.end_headers()
        elif self.path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:  # 100 MB unless the reader stops
                for _ in range(100_000):
                    self.wfile.write(b"<p>" + b"x" * 1021)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif self.path == "/hang":
            time.sleep(3)
            self.send_response(200)
            self.end_headers()
        else:
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with loopback_server(Handler) as address:
        yield address


def check(urls: list[str], **settings: float) -> dict[str, str | None]:
    config = LinkConfig(**{"timeout": 5.0, "deadline": 10.0, "retries": 0, **settings})  # type: ignore[arg-type]
    return {url: result.error for url, result in asyncio.run(check_urls(urls, config)).items()}


def test_the_link_checker_never_follows_a_redirect_to_a_file(server: str) -> None:
    errors = check([f"{server}/to-file"])
    assert errors == {f"{server}/to-file": "redirects to a non-web address file:///etc/passwd"}


def test_the_link_checker_never_opens_a_file_url() -> None:
    (error,) = check(["file:///etc/passwd"]).values()
    assert error is not None and "UnsupportedProtocol" in error


def test_the_link_checker_bounds_redirects(server: str) -> None:
    assert check([f"{server}/hop/0"], max_redirects=3) == {
        f"{server}/hop/0": "more than 3 redirects"
    }


def test_the_link_checker_reads_at_most_max_bytes_of_a_page(server: str) -> None:
    started = time.perf_counter()
    results = asyncio.run(
        check_urls([f"{server}/endless#frag"], LinkConfig(max_bytes=200_000, retries=0))
    )
    assert time.perf_counter() - started < 3  # 100 MB would take far longer
    assert results[f"{server}/endless#frag"].missing_anchor


def test_the_link_checker_stops_at_the_deadline(server: str) -> None:
    started = time.perf_counter()
    errors = check([f"{server}/hang"], deadline=1.0)
    assert time.perf_counter() - started < 2.5
    assert errors == {f"{server}/hang": "not checked within the 1 s deadline"}


def test_the_link_checker_says_who_it_is(server: str) -> None:
    Handler.agents.clear()
    check([f"{server}/ok"])
    assert Handler.agents and all(agent.startswith("galley-check") for agent in Handler.agents)
