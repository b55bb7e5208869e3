"""Editions never overwrite each other, the console names the edition written, and `galley
status` says which formats a build would render and why."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.hardening.conftest import ARTICLE, run


def test_each_edition_has_its_own_folder_and_the_console_names_it(
    tiny: Callable[..., Path],
) -> None:
    root = tiny()
    normal = run("build", cwd=root)
    review = run("build", "--profile", "review", cwd=root)
    anonymous = run("build", "--anonymous", cwd=root)
    assert (normal.returncode, review.returncode, anonymous.returncode) == (0, 0, 0)
    assert "wrote _manuscript/index.html (the normal edition)" in normal.stderr
    assert "wrote _manuscript/review/index.html (the review edition)" in review.stderr
    assert "wrote _manuscript/anonymous/index.html (the anonymous edition)" in anonymous.stderr
    plain = (root / "_manuscript/index.html").read_text(encoding="utf-8")
    assert 'id="p-1"' not in plain  # the review build did not overwrite the normal edition
    assert 'id="p-1"' in (root / "_manuscript/review/index.html").read_text(encoding="utf-8")
    again = run("build", cwd=root)
    assert "galley: the normal edition is up to date (html); nothing to do" in again.stderr


def test_status_says_which_formats_would_render_and_why(tiny: Callable[..., Path]) -> None:
    root = tiny()
    assert run("status", cwd=root).stdout == "1 format would render:\n  html  never built\n"
    assert run("build", cwd=root).returncode == 0
    assert run("status", cwd=root).stdout == "everything is up to date\n"
    (root / "index.qmd").write_text(ARTICLE + "\nMore text.\n", encoding="utf-8")
    assert run("status", cwd=root).stdout == (
        "1 format would render:\n  html  changed: the article\n"
    )
    (root / "_manuscript/index.html").unlink()
    assert "html  _manuscript/index.html is missing" in run("status", cwd=root).stdout
