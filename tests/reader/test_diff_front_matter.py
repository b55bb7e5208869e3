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
        "galley: wrote _manuscript/diff.html, diff.docx and diff.pdf: 8 words inserted, "
        "4 deleted; title block 0 added, 0 removed, 3 changed, text 0 added, 0 removed, "
        "0 changed, figures and tables 0 added, 0 removed, 1 changed, references 0 added, "
        "0 removed, 0 changed"
    )
    page = (root / "_manuscript/diff.html").read_text(encoding="utf-8")
    assert "Title block · Abstract changed" in page
    assert (
        "between <del>two</del><ins>the</ins> <del>agencies.</del><ins>police and UNODC.</ins>"
        in page
    )
    assert "Title block · Keywords changed" in page
    assert "policy; <del>cooperation</del><ins>cooperation; security</ins>" in page
    assert "Title block · Authors changed" in page
    assert "Jane <ins>Q. </ins>Doe" in page
    assert '<td class="changed"><del>2</del><ins>3</ins></td>' in page
