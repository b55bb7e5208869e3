"""What a reload fetches from the preview's server, on a real socket: a figure the browser holds
is answered "not modified" until it changes; the page is always sent in full, and a page edited in
place is served instead of the file until the whole render settles it."""

from __future__ import annotations

import http.client
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from galley.preview.server import Broadcast, PreviewServer
from tests.preview.conftest import PAGE
from tests.preview.test_preview_server import get


def fetch(server: PreviewServer, path: str, tag: str | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    connection.request("GET", path, headers={"If-None-Match": tag} if tag else {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_figure_the_browser_holds_is_not_sent_again_until_it_changes(
    served: tuple[PreviewServer, Path],
) -> None:
    server, output = served
    first = fetch(server, "/figure.svg")
    tag = first.getheader("ETag")
    assert first.status == 200 and tag and first.getheader("Cache-Control") == "no-cache"
    assert fetch(server, "/figure.svg", tag).status == 304
    figure = output / "figure.svg"
    figure.write_text("<svg><g/></svg>", "utf-8")
    os.utime(figure, ns=(figure.stat().st_atime_ns, figure.stat().st_mtime_ns + 10**9))
    changed = fetch(server, "/figure.svg", tag)
    assert changed.status == 200 and changed.getheader("ETag") != tag


def test_page_is_always_sent_in_full(served: tuple[PreviewServer, Path]) -> None:
    server, _ = served
    page = fetch(server, "/" + PAGE, '"anything"')
    assert page.status == 200
    assert page.getheader("Cache-Control") == "no-store" and page.getheader("ETag") is None


@pytest.fixture
def broadcast(served: tuple[PreviewServer, Path]) -> Iterator[Broadcast]:
    yield served[0].broadcast


def test_page_edited_in_place_is_served_until_the_whole_render_settles(
    served: tuple[PreviewServer, Path],
    broadcast: Broadcast,
) -> None:
    server, output = served
    broadcast.built(b"<html><body><p>The article, edited.</p></body></html>")
    status, body = get(server, "/" + PAGE)
    assert status == 200 and body.startswith(b"<html><body><p>The article, edited.</p><script")
    assert b'data-version="1"' in body
    assert (output / PAGE).read_text("utf-8") == "<html><body><p>The article.</p></body></html>"
    broadcast.settled()
    status, body = get(server, "/" + PAGE)
    assert body.startswith(b'<html><body><p>The article.</p><script data-version="1">')
