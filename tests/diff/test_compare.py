"""The block-by-block comparison (galley.review.compare) on small versions: what counts as added,
removed or changed, and where a passage is said to be."""

from __future__ import annotations

from pathlib import Path

from galley.review.compare import compare
from galley.review.rendered import Block, Image, Rendered


def version(blocks: list[Block]) -> Rendered:
    return Rendered("v", blocks)


def heading(text: str) -> Block:
    return Block("heading", text, section=text, level=1)


def para(text: str, section: str) -> Block:
    return Block("paragraph", text, section=section)


def figure(ident: str, caption: str, section: str, sha: str = "a" * 64) -> Block:
    image = Image(Path(f"/nowhere/{ident}.png"), sha, "alt")
    return Block("figure", caption, section=section, ident=ident, images=(image,))


INTRO, METHODS = "1 Introduction", "2 Methods"


def test_an_added_figure_counts_as_added_not_as_changed() -> None:
    old = version([heading(INTRO), para("One two three.", INTRO)])
    new = version(
        [heading(INTRO), para("One two three.", INTRO), figure("fig-a", "Figure 1: A.", INTRO)]
    )
    counts = compare(old, new).counts()
    assert counts["Figures and tables"] == {"added": 1, "removed": 0, "changed": 0}
    assert counts["Text"] == {"added": 0, "removed": 0, "changed": 0}


def test_an_edited_paragraph_is_one_change_and_a_new_one_an_addition() -> None:
    old = version([heading(INTRO), para("The threat can no longer be overcome alone.", INTRO)])
    new = version(
        [
            heading(INTRO),
            para("The threat can no longer be met alone.", INTRO),
            para("Entirely different words here.", INTRO),
        ]
    )
    entries = compare(old, new).changes
    assert [e.status for e in entries] == ["changed", "added"]
    assert entries[0].pieces == (
        ("equal", "The threat can no longer be "),
        ("delete", "overcome"),
        ("insert", "met"),
        ("equal", " alone."),
    )


def test_a_removed_paragraph_is_placed_in_the_section_it_would_be_in_now() -> None:
    old = version(
        [
            heading(INTRO),
            para("Kept.", INTRO),
            heading("2 Method"),
            para("Dropped words.", "2 Method"),
        ]
    )
    new = version([heading(INTRO), para("Kept.", INTRO), heading(METHODS)])
    removed = [e for e in compare(old, new).changes if e.status == "removed"]
    assert [(e.block.text, e.section) for e in removed] == [("Dropped words.", METHODS)]


def test_a_figure_whose_image_changed_is_changed_even_with_the_same_caption() -> None:
    old = version([figure("fig-a", "Figure 1: A.", INTRO, sha="a" * 64)])
    new = version([figure("fig-a", "Figure 1: A.", INTRO, sha="b" * 64)])
    (entry,) = compare(old, new).changes
    assert entry.status == "changed" and entry.images_changed


def test_a_table_is_compared_row_by_row_and_cell_by_cell() -> None:
    rows = (("Year", "Share"), ("2019", "1.80"), ("2021", "1.95"))
    table = Block("table", "Table 1: Shares.", ident="tbl-a", rows=rows)
    grown = Block(
        "table",
        "Table 1: Shares.",
        ident="tbl-a",
        rows=(*rows[:2], ("2021", "1.99"), ("2023", "1.73")),
    )
    (entry,) = compare(version([table]), version([grown])).changes
    assert [row.status for row in entry.rows] == ["equal", "equal", "changed", "added"]
    assert entry.rows[2].cells == ((("equal", "2021"),), (("delete", "1.95"), ("insert", "1.99")))
    assert entry.rows[3].cells == ((("insert", "2023"),), (("insert", "1.73"),))
