"""`galley diff` on a tiny project: math shows as it renders, list items compare one by one, the
article's text stays text."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

from tests.conftest import galley
from tests.diff.conftest import git
from tests.hardening.conftest import make_project

BEFORE = """\
---
title: A small article
---

# Growth

The rate grows as $x^2$ each year [@a].

- a first point
- a second point
"""
AFTER = """\
---
title: A small article
---

# Growth

The rate grows as $x^3$ each year [@a].

- a first point
- a second point, revised
- a third point

Note that a \\< b & \\<em\\> is text.
"""


def test_math_shows_rendered_and_list_items_compare_one_by_one(tmp_path: Path) -> None:
    root = make_project(tmp_path / "small", {"index.qmd": BEFORE})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "v1")
    (root / "index.qmd").write_text(AFTER, encoding="utf-8")
    result = galley("diff", "HEAD", cwd=root)
    assert result.returncode == 0, result.stderr
    html = (root / "_manuscript" / "diff.html").read_text(encoding="utf-8")
    assert "The rate grows as <del>x²</del><ins>x³</ins> each year (Doe 2020)." in html
    assert "$" not in html.split("<body>")[1]
    assert (
        "Growth · List item changed</p><p>a second <del>point</del><ins>point, revised</ins>"
        in html
    )
    assert "Growth · List item added</p><p><ins>a third point</ins>" in html
    # What the article says is text on the page, never markup.
    assert "<ins>Note that a &lt; b &amp; &lt;em&gt; is text.</ins>" in html


def test_an_error_in_the_revision_names_the_revision(tmp_path: Path) -> None:
    # A broken include stops a build (a missing citation key is only a warning).
    broken = BEFORE + "\n{{< include nothere.qmd >}}\n"
    root = make_project(tmp_path / "small", {"index.qmd": broken})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "v1")
    (root / "index.qmd").write_text(AFTER, encoding="utf-8")
    result = galley("diff", "HEAD", cwd=root)
    assert result.returncode == 1
    assert re.fullmatch(
        r"galley: comparing HEAD \(([0-9a-f]{12})\) with the working tree\n"
        r"galley: error: index\.qmd:\d+: (.*) \(in HEAD, \1, as git holds it\)\n",
        result.stderr,
    )


def png(grey: int) -> bytes:
    """A one-pixel PNG of the given grey."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    pixels = zlib.compress(bytes([0, grey]))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_an_unlabelled_figure_with_a_new_image_is_one_changed_figure(tmp_path: Path) -> None:
    figure = "---\ntitle: T\n---\n\n# One\n\n![A dot](dot.png)\n\nText.\n"
    root = make_project(tmp_path / "small", {"index.qmd": figure, "dot.png": png(0)})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "v1")
    (root / "dot.png").write_bytes(png(255))
    result = galley("diff", "HEAD", cwd=root)
    assert result.returncode == 0, result.stderr
    html = (root / "_manuscript" / "diff.html").read_text(encoding="utf-8")
    assert "One · Figure changed</p><p>A dot</p>" in html
    hashes = re.findall(r"sha256:([0-9a-f]{12})", html)
    assert len(hashes) == 2 and hashes[0] != hashes[1]
    assert "figures and tables 0 added, 0 removed, 1 changed" in result.stderr
