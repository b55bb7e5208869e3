"""`galley diff` compares the front matter a reader sees (title, abstract, keywords, authors)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.hardening.conftest import run

ARTICLE = """\
---
title: Drug policy in practice
author:
  - name: Jane Doe
abstract: The study reviews cooperation between two agencies.
keywords: [policy, cooperation]
---

Text that cites a source [@a].

| a | b |
|---|---|
| 1 | 2 |

: Counts {#tbl-counts}
"""


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        cwd=root, check=True, capture_output=True,
    )  # fmt: skip


def test_an_edit_to_the_front_matter_is_in_the_diff(tiny: Callable[..., Path]) -> None:
    root = tiny({"index.qmd": ARTICLE, ".gitignore": "/_manuscript/\n/.galley/\n"})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "submitted")
    edited = (
        ARTICLE.replace("two agencies", "the police and UNODC")
        .replace("[policy, cooperation]", "[policy, cooperation, security]")
        .replace("Jane Doe", "Jane Q. Doe")
        .replace("| 1 | 2 |", "| 1 | 3 |")
    )
    (root / "index.qmd").write_text(edited, encoding="utf-8")
    result = run("diff", "HEAD", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith(
        "galley: wrote _manuscript/diff.html: 7 words inserted, 3 deleted, "
        "1 figure or table changed"
    )
    page = (root / "_manuscript/diff.html").read_text(encoding="utf-8")
    assert "Abstract · index.qmd:5" in page
    assert "between <del>two</del><ins>the</ins> <del>agencies.</del><ins>police and" in page
    assert "Keywords · index.qmd:6" in page
    assert "Authors · index.qmd:3" in page
