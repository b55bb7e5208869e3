"""The preview's server, on a real socket on 127.0.0.1: it serves the output folder and nothing
else, only to requests addressed to the loopback host, and adds its script to pages it sends."""

from __future__ import annotations

import http.client
import socket
import struct
import time
from pathlib import Path

import pytest

from galley.preview.server import PreviewServer
from tests.preview.conftest import PAGE


def get(server: PreviewServer, path: str, host: str = "127.0.0.1") -> tuple[int, bytes]:
    """GET `path` exactly as written (no client-side normalisation of `..`)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", f"{host}:{server.server_address[1]}")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def test_server_listens_on_loopback_only(served: tuple[PreviewServer, Path]) -> None:
    server, _ = served
    assert server.server_address[0] == "127.0.0.1"
    assert server.url.startswith("http://127.0.0.1:")


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/../../outside.txt",
        "/%2e%2e/secret.txt",
        "/manuscript/%2E%2E/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "//etc/passwd",
        "/%2Fetc%2Fpasswd",
        "/link-out.txt",
        "/manuscript/index.html%00.txt",
    ],
)
def test_paths_leading_out_of_the_output_folder_are_not_found(
    served: tuple[PreviewServer, Path], path: str
) -> None:
    status, body = get(served[0], path)
    assert status == 404
    assert b"not for the browser" not in body and b"root:" not in body


def test_files_in_the_output_folder_are_served(served: tuple[PreviewServer, Path]) -> None:
    assert get(served[0], "/figure.svg") == (200, b"<svg/>")


def test_served_page_carries_the_reload_script_and_the_file_does_not(
    served: tuple[PreviewServer, Path],
) -> None:
    server, output = served
    status, body = get(server, "/" + PAGE)
    assert status == 200
    assert body.startswith(b'<html><body><p>The article.</p><script data-version="0">')
    assert b"/__galley__/events" in body and body.endswith(b"</body></html>")
    assert "<script" not in (output / PAGE).read_text("utf-8")


def test_before_the_first_good_build_the_article_address_waits_for_it(
    served: tuple[PreviewServer, Path],
) -> None:
    server, output = served
    (output / PAGE).unlink()
    status, body = get(server, "/" + PAGE)
    assert status == 200
    assert b"the article has not built yet" in body and b"/__galley__/events" in body
    assert get(server, "/manuscript/other.html")[0] == 404


def test_the_root_leads_to_the_article(served: tuple[PreviewServer, Path]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", served[0].server_address[1], timeout=10)
    connection.request("GET", "/")
    response = connection.getresponse()
    assert (response.status, response.getheader("Location")) == (302, "/" + PAGE)
    connection.close()


def test_requests_for_another_host_name_are_refused(served: tuple[PreviewServer, Path]) -> None:
    """A page elsewhere that rebinds its own name to 127.0.0.1 cannot read the preview."""
    status, body = get(served[0], "/" + PAGE, host="attacker.example")
    assert status == 403
    assert b"The article" not in body


def test_event_stream_tells_the_last_good_build_and_the_error(
    served: tuple[PreviewServer, Path],
) -> None:
    server, _ = served
    server.broadcast.built()
    server.broadcast.failed("index.qmd:3: <b>bad</b>")
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    connection.request("GET", "/__galley__/events")
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    assert response.readline() == b"event: state\n"
    assert response.readline() == (b'data: {"version": 1, "error": "index.qmd:3: <b>bad</b>"}\n')
    connection.close()


def test_a_dropped_connection_is_a_non_event(
    served: tuple[PreviewServer, Path], capfd: pytest.CaptureFixture[str]
) -> None:
    """A browser that drops a request mid-answer (a reload, a closed tab) makes the server
    print nothing: the answer's write meets a reset connection."""
    server, output = served
    (output / "large.bin").write_bytes(b"x" * (8 << 20))  # more than the socket buffers hold
    for _ in range(3):
        client = socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=10)
        client.sendall(b"GET /large.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        client.recv(1024)  # the answer has begun
        # Closing with unread data sends a reset, as a browser's cancelled request does.
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()
    assert get(server, "/figure.svg") == (200, b"<svg/>")  # the server still answers
    time.sleep(0.5)  # the handler threads meet the reset and end
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert "Error" not in captured.err
