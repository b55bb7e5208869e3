"""`galley check` checks the data rows as `build` does: with the same validator."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.hardening.conftest import run

PACKAGE = {
    "resources": [
        {
            "name": "counts",
            "path": "counts.csv",
            "schema": {
                "fields": [{"name": "year", "type": "integer"}, {"name": "n", "type": "integer"}]
            },
        }
    ]
}


def test_a_row_with_too_many_values_fails_check_with_its_line(tiny: Callable[..., Path]) -> None:
    root = tiny(
        {
            "data/datapackage.json": json.dumps(PACKAGE),
            "data/counts.csv": "year,n\n2020,1\n2021,2,3\n",
        }
    )
    result = run("check", "--offline", cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "data/counts.csv:3" in result.stdout
    assert "bad-data" in result.stdout
    assert "3 values for 2 columns" in result.stdout


def test_clean_data_passes_check(tiny: Callable[..., Path]) -> None:
    root = tiny(
        {"data/datapackage.json": json.dumps(PACKAGE), "data/counts.csv": "year,n\n2020,1\n"}
    )
    result = run("check", "--offline", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_label_beside_a_shortcode_in_fig_alt_is_found(tiny: Callable[..., Path]) -> None:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    article = (
        "---\ntitle: T\n---\n\nSee @fig-dot [@a].\n\n"
        '![A dot](dot.png){#fig-dot fig-alt="{{< var dot.alt >}}"}\n'
    )
    root = tiny({"index.qmd": article, "dot.png": png, "_variables.yml": "dot:\n  alt: One dot\n"})
    result = run("check", "--offline", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    build = run("build", cwd=root)
    assert build.returncode == 0, build.stderr
    assert 'alt="One dot"' in (root / "_manuscript/index.html").read_text(encoding="utf-8")
