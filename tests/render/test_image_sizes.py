"""An image's `width` and `height` in Quarto's units reach the PDF at their size: pixels (and a
bare number) are pixels at 96 dpi, as pandoc converts them, because Typst has no pixel unit."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ContentStream, IndirectObject

from tests.conftest import galley
from tests.render.test_crossrefs import make_project

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = chunk(b"IDAT", zlib.compress(rows))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + idat + chunk(b"IEND", b"")


def times(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def image_sizes(pdf: Path) -> list[tuple[float, float]]:
    """(width, height) in points of each image drawn on the first page, in drawing order: the
    current transformation when the image is painted (an image fills the unit square)."""
    reader = PdfReader(pdf)
    page = reader.pages[0]
    sizes: list[tuple[float, float]] = []

    def draw(content: object, resources: object, ctm: Matrix) -> None:
        xobjects = resources.get("/XObject", {}) if resources else {}  # type: ignore[attr-defined]
        stack: list[Matrix] = []
        for operands, operator in ContentStream(content, reader).operations:
            if operator == b"q":
                stack.append(ctm)
            elif operator == b"Q":
                ctm = stack.pop()
            elif operator == b"cm":
                ctm = times(tuple(float(x) for x in operands), ctm)  # type: ignore[arg-type]
            elif operator == b"Do":
                xobject = xobjects[operands[0]]
                xobject = xobject.get_object() if isinstance(xobject, IndirectObject) else xobject
                if xobject["/Subtype"] == "/Image":
                    sizes.append((round(ctm[0], 2), round(ctm[3], 2)))
                else:  # a form: its own content, resources and matrix
                    matrix = tuple(float(x) for x in xobject.get("/Matrix", IDENTITY))
                    draw(xobject, xobject.get("/Resources"), times(matrix, ctm))  # type: ignore[arg-type]

    draw(page.get_contents(), page["/Resources"], IDENTITY)
    return sizes


def test_widths_in_pixels_and_bare_numbers_are_pixels_at_96_dpi_in_the_pdf(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        "Inline ![A grey bar](bar.png){width=96px} in text.\n\n"
        '![A wide bar](bar.png){width=144 fig-alt="Grey"}\n\n'
        "![A short bar](bar.png){width=2cm}\n\n"
        "![A tall bar](bar.png){height=48}\n",
    )
    (root / "doc" / "bar.png").write_bytes(png(20, 10))
    result = galley("build", "--to", "typst", cwd=root)
    assert result.returncode == 0, result.stderr
    sizes = image_sizes(root / "_manuscript" / "doc" / "index.pdf")
    # 96px = 1in = 72pt (the other side from the image's 2:1 shape); 144 = 1.5in; 2cm; 48 = 0.5in.
    cm2 = 2 / 2.54 * 72
    assert sizes == [(72.0, 36.0), (108.0, 54.0), (round(cm2, 2), round(cm2 / 2, 2)), (72.0, 36.0)]


def test_a_length_typst_cannot_read_is_left_out_as_pandoc_leaves_it(tmp_path: Path) -> None:
    root = make_project(tmp_path, "![A grey bar](bar.png){width=3ex}\n")
    (root / "doc" / "bar.png").write_bytes(png(20, 10))
    result = galley("build", "--to", "typst", cwd=root)
    assert result.returncode == 0, result.stderr
    assert len(image_sizes(root / "_manuscript" / "doc" / "index.pdf")) == 1
