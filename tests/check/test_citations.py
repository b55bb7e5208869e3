"""The citation scanner: pandoc's syntax, and the look-alikes that are not citations."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from galley.reading.citations import CitationRef, nocite_keys, scan_citations


def keys(text: str) -> list[str]:
    return [ref.key for ref in scan_citations(text) if ref.kind == "citation"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[@a; @b, p. 3]", ["a", "b"]),
        ("@a says", ["a"]),
        ("as [-@a] shows", ["a"]),
        ("see @unodc:wdr-2023.", ["unodc:wdr-2023"]),
        ("see (@smith_2001)", ["smith_2001"]),
        ("(@smith_2001) at a block's start is an example list", []),
        ("@a. likewise", []),
        ("@a, @b; and @c.", ["a", "b", "c"]),
        ("@{Odd Key 2001} too", ["Odd Key 2001"]),
        ("[see @a, pp. 3-4; also @b]", ["a", "b"]),
        ("[@a~$~; @a$a]", ["a", "a$a"]),  # `~$~` is a subscript, not the start of math
        ("H~2~O and x^$^ cite @b$c", ["b$c"]),
        ("~~$~~ @c$d", []),  # an empty subscript `~~`, then math `$~~ @c$`
        ("@a. @a\n\nAs @a and [see @a] and @b.", ["a", "b"]),  # in-text @a: the example's number
    ],
)
def test_pandoc_citation_syntax_yields_the_keys(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "mail razfiramadhanhernanda84@student.hi.unida.gontor.ac.id now",
        "escaped \\@a here",
        "inline `@a` code",
        "double ``a ` @b`` code",
        "<!-- @a\n@b -->",
        "```\n@a\n```",
        "~~~~ {.python}\n@a\n~~~~",
        "para\n\n    @a indented code",
        "a <https://medium.com/@a> link and https://x.org/@b",
        "---\nauthor: a@b.org\nnote: '@c'\n---\nbody",
        "{{< var x@y >}}",
    ],
)
def test_look_alikes_are_not_citations(text: str) -> None:
    assert keys(text) == []


def test_crossref_prefixes_are_crossrefs_not_citations() -> None:
    refs = scan_citations("See @fig-a, @tbl-b, @sec-c, @eq-d and @Fig-e; [@k].")
    assert [(r.key, r.kind) for r in refs] == [
        ("fig-a", "crossref"),
        ("tbl-b", "crossref"),
        ("sec-c", "crossref"),
        ("eq-d", "crossref"),
        ("fig-e", "crossref"),
        ("k", "citation"),
    ]


def test_citation_positions_count_from_one_after_front_matter() -> None:
    text = "---\ntitle: x\n---\n\nText [@a] and\n  @b."
    assert scan_citations(text) == [
        CitationRef("a", 5, 7, "citation"),
        CitationRef("b", 6, 3, "citation"),
    ]


def test_list_items_indented_four_spaces_are_not_code() -> None:
    assert keys("- item\n\n    continued [@a]") == ["a"]


def test_nocite_reads_keys_and_the_star() -> None:
    assert nocite_keys({"nocite": "@a, @b"}) == ["a", "b"]
    assert nocite_keys({"nocite": ["@*"]}) == ["*"]
    assert nocite_keys({}) == []


@given(st.text(alphabet="@[]-;,. \n`\\<>!{}#abc_:~/0", max_size=80))
def test_scanner_never_fails_and_keys_start_with_a_word_character(text: str) -> None:
    for ref in scan_citations(text):
        assert ref.key and ref.line >= 1 and ref.column >= 1
