"""The review PDF's ¶N mark stays on the first line of its paragraph, also when the paragraph
moves on to the next page (Typst keeps a paragraph's single first line off a page's foot) and when
the paragraph sits in a div (a Typst block)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.edition.test_review_profile import pdf_lines
from tests.hardening.conftest import QUARTO, make_project, run

REVIEW = Path(__file__).resolve().parents[2] / "_quarto-review.yml"
# Paragraphs of 1 to 8 lines: over a few pages, some start on a page's last line.
PARAGRAPHS = [
    f"Paragraph {n} starts here. " + "word " * (12 + (n * 37) % 90) + "ends." for n in range(1, 61)
]


def test_every_mark_is_on_the_first_line_of_its_paragraph(tmp_path: Path) -> None:
    body = "\n\n".join(PARAGRAPHS[:-1]) + f"\n\n::: {{#last}}\n{PARAGRAPHS[-1]}\n:::\n"
    root = make_project(
        tmp_path,
        {
            "_quarto.yml": QUARTO.replace("html: default", "typst: default"),
            "_quarto-review.yml": REVIEW.read_text(encoding="utf-8"),
            "index.qmd": f"---\ntitle: Marks\n---\n\n{body}",
        },
    )
    result = run("build", "--profile", "review", cwd=root)
    assert result.returncode == 0, result.stderr
    lines = pdf_lines(root / "_manuscript/review/index.pdf")
    starts = {
        int(m[1]): para for _, text, para in lines if (m := re.match(r"Paragraph (\d+)", text))
    }
    assert starts == {n: n for n in range(1, 61)}
    assert [para for _, _, para in lines if para] == list(range(1, 61))
