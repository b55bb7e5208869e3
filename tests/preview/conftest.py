"""The preview's server on a real socket, serving a small output folder."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from galley.preview.server import Broadcast, PreviewServer

PAGE = "manuscript/index.html"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[PreviewServer, Path]]:
    output = tmp_path / "project" / "_manuscript"
    (output / "manuscript").mkdir(parents=True)
    (output / PAGE).write_text("<html><body><p>The article.</p></body></html>", "utf-8")
    (output / "figure.svg").write_text("<svg/>", "utf-8")
    (tmp_path / "project" / "secret.txt").write_text("not for the browser", "utf-8")
    (tmp_path / "outside.txt").write_text("not for the browser", "utf-8")
    (output / "link-out.txt").symlink_to(tmp_path / "outside.txt")
    server = PreviewServer(output, PAGE, Broadcast(), 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server, output
    server.shutdown()
    server.server_close()
