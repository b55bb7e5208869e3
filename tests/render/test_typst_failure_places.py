"""A PDF that Typst cannot compile is reported at the author's line with the cause the author can
act on: an image on the web (Typst reads only files, and galley fetches nothing), an image Typst
cannot decode (not the reference to its figure, which fails only because the figure did). The
HTML and the DOCX are still written, and the exit status is 1."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.conftest import galley, loopback_server
from tests.render.test_crossrefs import make_project

OUT = Path("_manuscript/doc")


class Asked(BaseHTTPRequestHandler):
    """Answers every request with 404 and keeps the paths asked for: nothing should ask."""

    paths: list[str] = []

    def do_GET(self) -> None:
        Asked.paths.append(self.path)
        self.send_error(404)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Asked.paths = []
    with loopback_server(Asked) as address:
        yield address


def figure(src: str) -> str:
    return f'Some text.\n\n![A box]({src}){{#fig-box fig-alt="A black box"}}\n\nSee @fig-box.\n'


def assert_only_the_pdf_failed(root: Path, stderr: str) -> None:
    assert stderr.splitlines()[-1].startswith(
        "galley: 1 of 3 formats failed (typst: no output written); done in "
    )
    assert sorted(p.suffix for p in (root / OUT).glob("index.*")) == [".docx", ".html"]


def test_an_image_on_the_web_is_named_with_its_line_and_what_to_do(
    tmp_path: Path, server: str
) -> None:
    root = make_project(tmp_path, figure(f"{server}/box.png"))

    result = galley("build", cwd=root)

    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert errors == [
        f"galley: error: typst: doc/index.qmd:7: the image `{server}/box.png` is on the web, and "
        "Typst reads only files: download it into the project and show that file instead"
    ]
    assert Asked.paths == []  # neither pandoc (sandboxed) nor Typst fetched it
    assert_only_the_pdf_failed(root, result.stderr)


def test_an_image_typst_cannot_decode_is_the_error_not_the_reference_to_its_figure(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path, figure("box.png"))
    (root / "doc" / "box.png").write_text("not a PNG\n", encoding="utf-8")

    result = galley("build", cwd=root)

    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1
    assert errors[0].startswith(
        "galley: error: typst: doc/index.qmd:7: Typst failed compiling the PDF: failed to decode "
        "image"
    )
    assert errors[0].endswith("; this line shows the image `box.png`: check that Typst reads it")
    assert "raw Typst" not in result.stderr and "bibliography" not in result.stderr
    assert_only_the_pdf_failed(root, result.stderr)
