"""Property tests for the bounded readers: YAML, data/datapackage.json, BibTeX @comment and
@string, and the shortcode scanner. Each reader raises nothing but galley's own errors (or
PyYAML's, which galley turns into one with the line), whatever it is given.

Examples per property: 200 (the `ci` profile of tests/hardening/test_fuzz.py);
`HYPOTHESIS_PROFILE=long` runs 5000.
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path

import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from galley.errors import GalleyError
from galley.project import load_project
from galley.reading import yamlfile
from galley.reading.bibliography import MAX_EXPANDED, parse_bibliography
from galley.reading.shortcodes import blank_shortcodes, opening
from galley.reading.sources import load_source
from galley.steps.data import data_problems
from tests.hardening.conftest import make_project
from tests.hardening.test_fuzz import PROFILE

# YAML made of the pieces that decide its size and depth: anchors and aliases, flow and block
# collections, keys, scalars, and the punctuation between them.
YAML_PIECE = st.one_of(
    st.sampled_from(["[", "]", "{", "}", ", ", ": ", "\n", "\n  ", "- ", "&a ", "&b ", "*a",
                     "*b", "x", "key", "'q'", '"d"', "!!str ", "? ", "|\n  t", "~", "1"]),
    st.text(max_size=4),
)  # fmt: skip
YAML_TEXT = st.lists(YAML_PIECE, max_size=40).map("".join)


def _aliases(levels: int, fan: int) -> str:
    lines = ["a0: &a0 [x]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * fan) + "]")
    return "\n".join(lines) + "\n"


@PROFILE
@given(YAML_TEXT)
@example("[" * 200 + "]" * 200)
def test_the_yaml_reader_raises_only_yaml_errors(text: str) -> None:
    with contextlib.suppress(yaml.YAMLError):
        yamlfile.load_settings(text)


@PROFILE
@given(st.integers(1, 14), st.integers(1, 14))
def test_aliases_load_within_the_limit_or_are_refused(levels: int, fan: int) -> None:
    """Whatever aliases of aliases say, the document is built only within the limit: nodes
    and scalar characters, with aliases expanded, up to MAX_EXPANDED beyond twice the text."""
    text = _aliases(levels, fan)
    size = 3  # a0's `[x]`: the list, and the scalar with its one character
    expanded = 1 + len("a0") + 1 + size  # the mapping, the first key, its list
    for level in range(1, levels + 1):
        size = 1 + fan * size
        expanded += len(f"a{level}") + 1 + size
    limit = yamlfile.MAX_EXPANDED + 2 * (len(text) + 1)  # PyYAML ends its text with a NUL
    try:
        yamlfile.load_settings(text)
    except yaml.YAMLError as exc:
        assert "aliases expanded" in str(exc)
        assert expanded > limit
    else:
        assert expanded <= limit


def _json(depth_piece: str) -> st.SearchStrategy[str]:
    values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=6)
        | st.sampled_from(["values.csv", "string", "integer", "year", "^[a-z]+$", "../x.csv"]),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
            st.sampled_from(["resources", "path", "schema", "fields", "name", "type",
                             "constraints", "pattern", "required", "dialect", "primaryKey"]),
            inner, max_size=4),
        max_leaves=15,
    )  # fmt: skip
    return st.one_of(values.map(json.dumps), st.integers(0, 200).map(lambda n: depth_piece * n))


@PROFILE
@given(_json("["))
@example("[" * 100_000)
def test_the_data_package_reader_raises_only_galley_errors(tmp_path: Path, text: str) -> None:
    root = make_project(tmp_path, {"data/datapackage.json": text, "data/values.csv": "n\n1\n"})
    with contextlib.suppress(GalleyError):
        data_problems(load_project(root))


COMMENTED = st.builds(
    lambda before, inner, after: f"{before}@comment{{\n{inner}\n}}\n{after}",
    st.sampled_from(["", "@misc{a, title = {A}}\n"]),
    st.sampled_from(["@misc{hidden, title = {H}}", "{nested {braces}} @book{hidden,}", "x"]),
    st.sampled_from(["", "@misc{b, title = {B}}\n"]),
)


@PROFILE
@given(COMMENTED)
def test_an_entry_in_a_balanced_comment_is_never_read(text: str) -> None:
    keys = {entry.key for entry in parse_bibliography(text, "refs.bib").entries}
    assert "hidden" not in keys
    assert keys == {k for k in ("a", "b") if f"@misc{{{k}," in text}


@PROFILE
@given(st.integers(1, 30), st.integers(1, 4))
def test_string_macros_are_refused_past_the_limit(count: int, copies: int) -> None:
    parts = " # ".join(["s{i}"] * copies)
    text = '@string{s0 = "xxxxxxxx"}\n' + "".join(
        "@string{s" + str(i + 1) + " = " + parts.format(i=i) + "}\n" for i in range(count)
    )
    expanded = 8 * copies**count
    problems = [f for f in parse_bibliography(text, "refs.bib").findings if f.rule == "bib-syntax"]
    assert bool(problems) == (expanded > MAX_EXPANDED)


SHORTCODE_TEXT = st.lists(
    st.sampled_from(["{{<", ">}}", "{", "}", "<", ">", " ", "\n", "var", "x", "{{{<", ">}}}"]),
    max_size=30,
).map("".join)
REGEX = re.compile(r"\{\{<.*?>\}\}")


@PROFILE
@given(SHORTCODE_TEXT)
def test_the_shortcode_scan_finds_what_the_regular_expression_finds(text: str) -> None:
    assert blank_shortcodes(text) == REGEX.sub(lambda m: " " * len(m[0]), text)
    unclosed = re.search(r"(?<!\{)\{\{<(?!.*>\}\})", text)
    for line in text.split("\n"):
        found = opening(line)
        assert bool(found) == bool(re.search(r"(?<!\{)\{\{<(?!.*>\}\})", line))
    assert unclosed is None or "{{<" in text


@PROFILE
@given(SHORTCODE_TEXT)
def test_shortcodes_in_the_article_raise_only_galley_errors(tmp_path: Path, text: str) -> None:
    root = make_project(tmp_path, {"index.qmd": f"---\ntitle: T\n---\n\n{text}\n",
                                   "_variables.yml": "x: value\n"})  # fmt: skip
    with contextlib.suppress(GalleyError):
        load_source(load_project(root))
