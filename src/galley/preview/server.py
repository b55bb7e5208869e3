"""The preview's web server: the output folder on 127.0.0.1, and the page told of each rebuild.

It serves only files under the output folder (a path that leads elsewhere, by `..`, an encoded
`..` or a symbolic link, is "not found") and answers only requests addressed to the loopback
host, so a web page elsewhere cannot read the preview through DNS rebinding. The HTML it sends
carries reload.js; the files on disk never do.
"""

from __future__ import annotations

import json
import mimetypes
import sys
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

HOST = "127.0.0.1"
EVENTS = "/__galley__/events"
RELOAD_JS = (resources.files("galley.preview") / "reload.js").read_text(encoding="utf-8")
# The article's address before its first good build: the script shows why, and reloads the
# page when the build succeeds.
WAITING_PAGE = (
    b'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>galley preview</title>'
    b"</head>\n<body><p>galley preview: the article has not built yet; this page shows it as "
    b"soon as it does.</p>\n</body></html>\n"
)
KEEPALIVE = 15.0  # seconds between comments on an idle event stream, so proxies keep it open


@dataclass(frozen=True)
class State:
    """What the open pages are told: the number of the last good build, and the last error."""

    version: int = 0
    error: str | None = None


class Broadcast:
    """The preview's state, shared between the rebuild loop and the server's threads."""

    def __init__(self) -> None:
        self._state = State()
        self._changed = threading.Condition()
        # The article's page edited in place by the fast path, served instead of the file until
        # the whole render has written it (galley.preview.quick_edit).
        self.page: bytes | None = None

    @property
    def state(self) -> State:
        with self._changed:
            return self._state

    def built(self, page: bytes | None = None) -> None:
        """A new page: `page` when edited in place, else the file the build wrote."""
        with self._changed:
            self.page = page
            self._state = State(self._state.version + 1)
            self._changed.notify_all()

    def settled(self) -> None:
        """The file the build wrote is the page already served, or the last error is fixed with
        no change to the page: nothing to reload."""
        with self._changed:
            self.page = None
            self._state = State(self._state.version)
            self._changed.notify_all()

    def failed(self, message: str) -> None:
        with self._changed:
            self._state = State(self._state.version, message)
            self._changed.notify_all()

    def wait_for_change(self, seen: State, timeout: float) -> State:
        with self._changed:
            self._changed.wait_for(lambda: self._state != seen, timeout)
            return self._state


def with_reload_script(html: bytes, version: int) -> bytes:
    """The page with reload.js before its closing </body> (or at the end)."""
    script = f'<script data-version="{version}">\n{RELOAD_JS}</script>\n'.encode()
    at = html.lower().rfind(b"</body>")
    return html + script if at < 0 else html[:at] + script + html[at:]


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # open event streams do not keep Ctrl-C waiting

    def __init__(self, root: Path, start_page: str, broadcast: Broadcast, port: int):
        self.root = root.resolve()
        self.start_page = start_page
        self.broadcast = broadcast
        self.stopping = threading.Event()
        super().__init__((HOST, port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that drops a request (a reload, a closed tab) is no error: nothing is
        printed. Anything else is told as socketserver tells it."""
        if isinstance(sys.exc_info()[1], ConnectionError):  # BrokenPipeError, ConnectionReset…
            return
        super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/{self.start_page}"

    def shutdown(self) -> None:
        self.stopping.set()
        super().shutdown()


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    validator: str | None = None  # the ETag of the file being answered, when it may be cached

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows the rebuilds, not every request."""

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def do_GET(self) -> None:
        self._respond(body=True)

    def _respond(self, *, body: bool) -> None:
        self.validator = None
        if not self._addressed_to_us():
            self._send(HTTPStatus.FORBIDDEN, b"forbidden: not a loopback host\n", "text/plain")
            return
        path = urlsplit(self.path).path
        if path == EVENTS and body:
            self._events()
            return
        if path == "/":
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", "/" + self.server.start_page)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        file = self._file(path)
        page = self.server.broadcast.page
        if page is not None and path == "/" + self.server.start_page:
            data, kind = page, "text/html"
        elif file is not None:
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if kind != "text/html" and self._unchanged(file):
                return
            data = file.read_bytes()
        elif path == "/" + self.server.start_page:  # no good build yet: wait for one here
            data, kind = WAITING_PAGE, "text/html"
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", body=body)
            return
        if kind == "text/html":
            data = with_reload_script(data, self.server.broadcast.state.version)
            kind = "text/html; charset=utf-8"
        self._send(HTTPStatus.OK, data, kind, body=body)

    def _addressed_to_us(self) -> bool:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        return host in (HOST, "localhost")

    def _file(self, path: str) -> Path | None:
        """The file under the output folder that `path` names, or None (never one outside)."""
        relative = unquote(path).lstrip("/")
        if "\0" in relative:
            return None
        candidate = (self.server.root / relative).resolve()
        if not candidate.is_relative_to(self.server.root) or not candidate.is_file():
            return None
        return candidate

    def _unchanged(self, file: Path) -> bool:
        """Answer 304 when the browser holds this version of `file` (an image, a style sheet): a
        reload after each save then fetches the page, not every figure again."""
        stat = file.stat()
        tag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        self.validator = tag
        if self.headers.get("If-None-Match") != tag:
            return False
        self.send_response(HTTPStatus.NOT_MODIFIED)
        self.send_header("ETag", tag)
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        return True

    def _send(self, status: HTTPStatus, data: bytes, kind: str, *, body: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        if self.validator is not None and status == HTTPStatus.OK:
            # The browser may keep it, but asks each time whether it is still this version.
            self.send_header("ETag", self.validator)
            self.send_header("Cache-Control", "no-cache")
        else:
            self.send_header("Cache-Control", "no-store")  # a reload must fetch the new build
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self) -> None:
        """Server-sent events: the state now, then each change, until the page or we go."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        broadcast = self.server.broadcast
        state = broadcast.state
        try:
            self._event(state)
            while not self.server.stopping.is_set():
                newer = broadcast.wait_for_change(state, KEEPALIVE)
                if newer == state:
                    self.wfile.write(b": keepalive\n\n")
                    self.wfile.flush()
                    continue
                state = newer
                self._event(state)
        except (BrokenPipeError, ConnectionResetError):
            return  # the page was closed or reloaded

    def _event(self, state: State) -> None:
        data = json.dumps({"version": state.version, "error": state.error})
        self.wfile.write(f"event: state\ndata: {data}\n\n".encode())
        self.wfile.flush()
