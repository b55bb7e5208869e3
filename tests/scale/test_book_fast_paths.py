"""The no-op and edit paths of a long book stay cheap without changing what they decide: the
project lock taken with `flock` directly (filelock is not imported) still excludes filelock's,
which Windows and a file system without `flock` use; the render parts computed once for all
formats are those computed per format, and still see a changed image; the prose mask's fast
inline scan matches what the scan without its lookahead matches."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from filelock import FileLock, Timeout

from galley.errors import GalleyError
from galley.project import load_project
from galley.reading.markdown import INLINE, blank
from galley.reading.sources import load_source
from galley.rendering.render_cache import render_parts, shared_parts
from galley.util.lock import LOCK_FILE, project_lock
from tests.conftest import REPO
from tests.hardening.conftest import make_project
from tests.hardening.test_boundaries import PNG

sys.path.insert(0, str(REPO / "benchmarks"))
from scale_manuscript import generate  # noqa: E402


def test_a_lock_filelock_holds_keeps_a_build_out(tmp_path: Path) -> None:
    held = FileLock(tmp_path / LOCK_FILE, timeout=0)
    held.acquire()
    try:
        with (
            pytest.raises(GalleyError, match="another `galley build` is running"),
            project_lock(tmp_path),
        ):
            pass
    finally:
        held.release()
    with project_lock(tmp_path):  # free again once filelock let go
        pass


def test_a_build_holding_the_lock_keeps_filelock_out(tmp_path: Path) -> None:
    with project_lock(tmp_path), pytest.raises(Timeout):
        FileLock(tmp_path / LOCK_FILE, timeout=0).acquire()
    FileLock(tmp_path / LOCK_FILE, timeout=0).acquire()  # released when the build ends


ARTICLE = """\
---
title: Two figures
---

![A dot](a.png){#fig-a}

![Another dot](b.png){#fig-b}

Text with `code @x`, <b>html</b>, $x^2$ and [@a].
"""


def test_a_changed_image_makes_every_format_stale_with_the_shared_parts(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"index.qmd": ARTICLE, "a.png": PNG, "b.png": PNG})
    project = load_project(root)
    source = load_source(project)
    before = shared_parts(project, source)
    formats = ("html", "docx", "typst")
    parts = {fmt: render_parts(project, source, fmt, "pandoc", "", before) for fmt in formats}
    for fmt in formats:  # computed once for all formats or per format: the same parts, in order
        assert list(parts[fmt].items()) == list(
            render_parts(project, source, fmt, "pandoc").items()
        )
    (root / "b.png").write_bytes(PNG + b"\0")
    after = shared_parts(project, source)
    for fmt in formats:
        changed = render_parts(project, source, fmt, "pandoc", "", after)
        assert [part for part in changed if changed[part] != parts[fmt][part]] == ["an image"]


def _corpus(tmp: Path) -> list[str]:
    """The benchmark's book (three copies), this paper's article and every test article."""
    book = generate(tmp / "book", 3)
    paths = [book / "manuscript" / "index.qmd", REPO / "manuscript" / "index.qmd"]
    texts = [path.read_text(encoding="utf-8") for path in paths]
    texts += [path.read_text(encoding="utf-8") for path in (REPO / "tests").rglob("*.qmd")]
    return texts + [ARTICLE, "a\r\n`b``c` \\@d <!-- e --> </i x> <?p?> ~$~ ^y^ $$z$$ @e.f"]


def test_the_inline_scan_finds_what_it_finds_without_its_lookahead(tmp_path: Path) -> None:
    # The lookahead only skips characters no alternative starts with: without it, the same
    # matches. An alternative added later that starts with another character fails here.
    lookahead = "(?=[@<`\\\\~^$])"
    assert INLINE.pattern.startswith(lookahead)
    plain_scan = re.compile(INLINE.pattern.removeprefix(lookahead), re.DOTALL)
    for text in _corpus(tmp_path):
        fast = [(m.span(), m.lastgroup) for m in INLINE.finditer(text)]
        assert fast == [(m.span(), m.lastgroup) for m in plain_scan.finditer(text)]


def test_blank_keeps_the_line_breaks_and_nothing_else() -> None:
    for text in ("", "a", "a\nb\r\n\tc\n", "\n\n", "é😀\nx"):
        assert blank(text) == re.sub(r"[^\n]", " ", text)
