"""The formats' pandoc runs go side by side while their memory fits the budget: a book's three
would take 1.4 GB together (measured at 100x this article), so they go one after another."""

from __future__ import annotations

from pathlib import Path

from galley.engines.format_runs import MB, SIDE_BY_SIDE_MEMORY, side_by_side
from galley.project import load_project
from galley.reading.sources import load_source

FORMATS = ["html", "docx", "typst"]


def test_this_article_renders_its_three_formats_side_by_side() -> None:
    article = load_source(load_project(Path(__file__).parents[2]))
    assert side_by_side(len(article.body), FORMATS) == 3


def test_a_book_renders_its_formats_one_after_another() -> None:
    # 30x this article is 0.6 MB of text; 100x, 2 MB.
    assert side_by_side(600_000, FORMATS) == 3
    assert side_by_side(1_200_000, FORMATS) == 2
    assert side_by_side(2_000_000, FORMATS) == 1
    assert side_by_side(50_000_000, FORMATS) == 1  # never none
    assert SIDE_BY_SIDE_MEMORY < 1024 * MB
