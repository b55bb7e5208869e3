"""The link checker against a real HTTP server on 127.0.0.1; nothing leaves the machine."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from tests.conftest import loopback_server

from galley.check.config import LinkConfig
from galley.check.links import check_urls
from galley.check.urls import LinkUse, check_links

PAGE = b'<html><body><h1 id="top">Top</h1><a name="old">x</a></body></html>'


class Handler(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def _reply(self, status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = self.path
        Handler.hits[path] = Handler.hits.get(path, 0) + 1
        if path == "/ok" or path.startswith("/ok?"):
            self._reply(200, body=b"fine")
        elif path == "/moved":
            self._reply(301, {"Location": "/ok"})
        elif path == "/temporary":
            self._reply(302, {"Location": "/ok"})
        elif path == "/missing":
            self._reply(404)
        elif path == "/gone":
            self._reply(410)
        elif path == "/busy":
            # 429 on the first request, then fine: the checker must wait and retry.
            if Handler.hits[path] == 1:
                self._reply(429, {"Retry-After": "0"})
            else:
                self._reply(200)
        elif path == "/error":
            self._reply(500)
        elif path == "/slow":
            time.sleep(1.5)
            self._reply(200)
        elif path == "/loop-a":
            self._reply(301, {"Location": "/loop-b"})
        elif path == "/loop-b":
            self._reply(301, {"Location": "/loop-a"})
        elif path.startswith("/chain/"):
            step = int(path.rsplit("/", 1)[1])
            self._reply(302, {"Location": f"/chain/{step + 1}"})
        elif path == "/page":
            self._reply(200, {"Content-Type": "text/html"}, PAGE)
        elif path == "/no-head" and self.command == "HEAD":
            self._reply(405)
        elif path == "/no-head":
            self._reply(200)
        elif path.startswith("/doi/10."):
            self._reply(302, {"Location": "/ok"})
        else:
            self._reply(404)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with loopback_server(Handler) as address:
        yield address


CONFIG = LinkConfig(timeout=0.5, deadline=10, retries=2)


def check(urls: list[str]) -> dict[str, tuple[int | None, str | None, str | None]]:
    results = asyncio.run(check_urls(urls, CONFIG))
    return {u: (r.status, r.error, r.moved_to) for u, r in results.items()}


def test_statuses_are_classified(server: str) -> None:
    names = ["ok", "moved", "temporary", "missing", "gone", "busy", "error", "no-head"]
    results = check([f"{server}/{n}" for n in names])
    assert results == {
        f"{server}/ok": (200, None, None),
        f"{server}/moved": (200, None, f"{server}/ok"),
        f"{server}/temporary": (200, None, None),
        f"{server}/missing": (404, "HTTP 404 Not Found", None),
        f"{server}/gone": (410, "HTTP 410 Gone", None),
        f"{server}/busy": (200, None, None),
        f"{server}/error": (500, "HTTP 500 Internal Server Error", None),
        f"{server}/no-head": (200, None, None),
    }


def test_slow_response_past_the_timeout_is_broken(server: str) -> None:
    assert check([f"{server}/slow"]) == {f"{server}/slow": (None, "no answer within 0.5 s", None)}


def test_redirect_loop_and_too_many_redirects_are_broken(server: str) -> None:
    results = check([f"{server}/loop-a", f"{server}/chain/1"])
    assert results[f"{server}/loop-a"] == (301, "redirect loop", None)
    assert results[f"{server}/chain/1"] == (None, "more than 5 redirects", None)


def test_connection_refused_is_broken() -> None:
    [(status, error, _)] = check(["http://127.0.0.1:9/"]).values()
    assert status is None and error is not None and error.startswith("ConnectError")


def test_fragments_are_looked_up_in_the_page(server: str) -> None:
    results = asyncio.run(check_urls([f"{server}/page#top", f"{server}/page#nowhere"], CONFIG))
    assert not results[f"{server}/page#top"].missing_anchor
    assert results[f"{server}/page#nowhere"].missing_anchor


def test_findings_carry_the_place_and_dois_go_through_the_resolver(
    server: str, tmp_path: Path
) -> None:
    config = LinkConfig(timeout=0.5, doi_resolver=f"{server}/doi/")
    uses = [
        LinkUse(f"{server}/missing", "index.qmd", 3),
        LinkUse(f"{server}/moved", "index.qmd", 4),
        LinkUse(f"{server}/doi/10.1000/xyz", "refs.bib", 7, shown="doi 10.1000/xyz"),
        LinkUse(f"{server}/ok", "index.qmd", 5),
    ]
    findings = check_links(tmp_path, uses, config)
    assert [(f.rule, f.path, f.line, f.message) for f in findings] == [
        ("broken-link", "index.qmd", 3, f"{server}/missing is broken: HTTP 404 Not Found"),
        ("redirected-link", "index.qmd", 4, f"{server}/moved has moved permanently to {server}/ok"),
    ]


def test_cached_results_are_reused_within_the_ttl(server: str, tmp_path: Path) -> None:
    config = LinkConfig(timeout=0.5)
    url = f"{server}/ok?cache"
    check_links(tmp_path, [LinkUse(url, "index.qmd", 1)], config)
    before = Handler.hits.get("/ok?cache", 0)
    check_links(tmp_path, [LinkUse(url, "index.qmd", 1)], config)
    assert Handler.hits.get("/ok?cache", 0) == before
    assert (tmp_path / ".galley" / "cache" / "links.json").is_file()
    check_links(tmp_path, [LinkUse(url, "index.qmd", 1)], LinkConfig(timeout=0.5, ttl=0))
    assert Handler.hits["/ok?cache"] > before


def test_excluded_prefixes_are_not_checked(server: str, tmp_path: Path) -> None:
    config = LinkConfig(timeout=0.5, exclude=(f"{server}/missing",))
    assert check_links(tmp_path, [LinkUse(f"{server}/missing", "index.qmd", 1)], config) == []


def test_check_links_through_the_cli_reads_urls_from_manuscript_and_bibliography(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json
    import shutil

    from galley.cli import main

    root = tmp_path / "p"
    shutil.copytree(Path(__file__).parent / "fixtures" / "clean", root)
    article = root / "index.qmd"
    article.write_text(article.read_text() + f"\nSee <{server}/gone> and {server}/ok.\n")
    (root / "pyproject.toml").write_text(
        f'[tool.galley.links]\ntimeout = 0.5\ndoi-resolver = "{server}/doi/"\n'
        f'exclude = ["https://www.unodc.org/"]\n'
    )
    assert main(["check", "--project", str(root), "--links", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(f["rule"], f["path"], f["url"]) for f in report["findings"]] == [
        ("broken-link", "index.qmd", f"{server}/gone")
    ]


def test_no_network_is_said_once_and_is_a_usage_error(tmp_path: Path) -> None:
    from galley.errors import ConfigError

    config = LinkConfig(timeout=0.5, doi_resolver="http://127.0.0.1:9/")
    uses = [
        LinkUse("http://127.0.0.1:9/a", "index.qmd", 1),
        LinkUse("http://127.0.0.1:9/b", "refs.bib", 2),
    ]
    with pytest.raises(ConfigError, match=r"^the network is unreachable: none of the 2 addresses"):
        check_links(tmp_path, uses, config)


def test_a_dead_host_while_the_network_works_is_a_broken_link(server: str, tmp_path: Path) -> None:
    config = LinkConfig(timeout=0.5, doi_resolver=f"{server}/doi/")
    [finding] = check_links(tmp_path, [LinkUse("http://127.0.0.1:9/a", "index.qmd", 1)], config)
    assert finding.rule == "broken-link"
