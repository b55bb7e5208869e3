"""`galley diff` on a tiny project: math shows as it renders, list items compare one by one, the
article's text stays text."""

from __future__ import annotations

import re
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
    root = make_project(tmp_path / "small", {"index.qmd": BEFORE.replace("[@a]", "[@missing]")})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "v1")
    (root / "index.qmd").write_text(AFTER, encoding="utf-8")
    result = galley("diff", "HEAD", cwd=root)
    assert result.returncode == 1
    assert re.fullmatch(
        r"galley: comparing HEAD \(([0-9a-f]{12})\) with the working tree\n"
        r"galley: error: index\.qmd:7: citation key `@missing` is not in the bibliography "
        r"\(refs\.bib\); add the entry or fix the key \(in HEAD, \1, as git holds it\)\n",
        result.stderr,
    )
