"""How deep a JSON text nests (util/jsonfile.deeper_than), which galley asks of every JSON it
reads before Python's recursive reader sees it: the offset of the first bracket past the limit,
brackets inside strings (escapes included) not counted, for any text, well-formed or not."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from galley.util.jsonfile import deeper_than
from tests.hardening.test_fuzz import PROFILE


def one_at_a_time(text: str, limit: int) -> int | None:
    """The same answer, read a character at a time: a quote starts a string only where a
    closing quote follows (after a backslash, any one character is part of the string)."""
    depth, index = 0, 0
    while index < len(text):
        char = text[index]
        if char == '"':
            end = index + 1
            while end < len(text) and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            if end < len(text):
                index = end + 1
                continue
        elif char in "[{":
            depth += 1
            if depth > limit:
                return index
        elif char in "]}":
            depth -= 1
        index += 1
    return None


@PROFILE
@given(text=st.text(alphabet='[]{}"\\a\n', max_size=60), limit=st.integers(0, 4))
def test_the_first_bracket_past_the_limit_is_found_outside_strings(text: str, limit: int) -> None:
    assert deeper_than(text, limit) == one_at_a_time(text, limit)


@PROFILE
@given(text=st.text(alphabet='[]{}"aé\n', max_size=60), limit=st.integers(0, 4))
def test_a_text_without_backslashes_is_read_as_one_with_them(text: str, limit: int) -> None:
    # Without a backslash, deeper_than splits the text at its quotes instead of scanning it.
    assert deeper_than(text, limit) == one_at_a_time(text, limit)


def test_brackets_in_strings_and_escaped_quotes_do_not_count() -> None:
    assert deeper_than('["[[[", "\\"[[[", {"a": [1]}]', 3) is None
    assert deeper_than('["[[[", "\\"[[[", {"a": [[1]]}]', 3) == 24
