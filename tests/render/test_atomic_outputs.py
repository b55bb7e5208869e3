"""A failed build leaves the previous outputs byte-for-byte as they were."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import galley
from tests.render.test_crossrefs import make_project


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_failed_render_keeps_previous_outputs_intact(tmp_path: Path) -> None:
    root = make_project(tmp_path, "# One\n\nFirst version [@known2020].\n")
    assert galley("build", cwd=root).returncode == 0
    before = snapshot(root / "_manuscript")
    assert set(before) == {"doc/index.html", "doc/index.pdf", "doc/index.docx"}

    article = root / "doc" / "index.qmd"
    # A layout no render can use (a missing key would be a warning: drafts build).
    broken = '\n::: {layout-ncol="two"}\nA\n\nB\n:::\n'
    article.write_text(article.read_text() + broken, encoding="utf-8")
    result = galley("build", cwd=root)

    assert result.returncode == 1, result.stderr
    assert 'layout-ncol="two"' in result.stderr
    assert snapshot(root / "_manuscript") == before
    assert list((root / ".galley" / "tmp").iterdir()) == []


def test_unchanged_project_renders_nothing_and_a_change_rerenders(tmp_path: Path) -> None:
    root = make_project(tmp_path, "# One\n\nText [@known2020].\n")
    assert galley("build", cwd=root).returncode == 0
    html = root / "_manuscript/doc/index.html"
    first = html.stat().st_mtime_ns

    again = galley("build", cwd=root)
    assert "up to date" in again.stderr
    assert html.stat().st_mtime_ns == first

    article = root / "doc" / "index.qmd"
    article.write_text(article.read_text() + "\nMore text.\n", encoding="utf-8")
    changed = galley("build", "--to", "html", cwd=root)
    assert changed.returncode == 0, changed.stderr
    assert "More text." in html.read_text(encoding="utf-8")


def test_outputs_are_byte_identical_with_source_date_epoch(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    def build(root: Path) -> dict[str, bytes]:
        subprocess.run(
            [sys.executable, "-m", "galley", "build"],
            cwd=root,
            check=True,
            capture_output=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": "1735689600"},
        )
        return snapshot(root / "_manuscript")

    first = build(make_project(tmp_path / "a", "# One\n\nSame text [@known2020].\n"))
    second = build(make_project(tmp_path / "b", "# One\n\nSame text [@known2020].\n"))
    assert set(first) == {"doc/index.html", "doc/index.pdf", "doc/index.docx"}
    assert first == second
