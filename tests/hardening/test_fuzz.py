"""Property tests: the citation scanner, the BibTeX reader and the configuration loader never
raise anything but galley's own errors, and galley reports the citations pandoc finds, each at
a line of the text.

Examples per property: 200 by default (the `ci` profile); `HYPOTHESIS_PROFILE=long` runs 5000.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pypandoc
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from galley.errors import GalleyError
from galley.project import load_project
from galley.reading.bibliography import parse_bibliography
from galley.reading.bibliography_cut import cited_only
from galley.reading.citations import crossref_label, scan_citations
from galley.reading.cites import pandoc_cites
from galley.reading.uses import place

# The loader test reuses one tmp_path for all its examples: it rewrites every file it reads.
SUPPRESSED = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
# CI runs the same 200 examples every time (derandomize), so its verdict does not depend on a
# seed; the long run explores new ones.
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=SUPPRESSED,
    database=None,
    derandomize=True,
)
settings.register_profile(
    "long", max_examples=5000, deadline=None, suppress_health_check=SUPPRESSED, database=None
)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
PANDOC = str(pypandoc.get_pandoc_path())

# Markdown built from the pieces that decide whether `@` cites: keys with inner punctuation,
# brackets, prefixes and locators, suppressed authors, braced keys, e-mail addresses, URLs,
# escapes, code spans and blocks, comments, bare URLs (pandoc reads `https://x.org/@user` as citing
# `user`), and the punctuation around them.
KEY_START = st.sampled_from("abcxyzAZ019_é")
KEY_REST = st.text(alphabet="abcz09_:.#$%&-+?<>~/é", max_size=6)
KEY = st.builds(lambda a, b, c: a + b + c, KEY_START, KEY_REST, st.sampled_from(["", "a", "1"]))
CITE = st.one_of(
    st.builds(lambda k: f"@{k}", KEY),
    st.builds(lambda k: f"[@{k}]", KEY),
    st.builds(lambda k: f"[-@{k}]", KEY),
    st.builds(lambda k, p: f"[see @{k}, p. {p}]", KEY, st.integers(1, 99)),
    st.builds(lambda a, b: f"[@{a}; @{b}]", KEY, KEY),
    st.builds(lambda k: f"@{{{k}}}", KEY),
    st.builds(lambda k: f"@fig-{k}", KEY),
)
NOISE = st.sampled_from(
    [
        "word", "a@b.org", "<mail@example.org>", "<https://x.org/@user>", "\\@esc", "`@code`",
        "<!-- @comment -->", "(", ")", ".", ",", ";", ":", "[", "]", "{", "}", "-", "*", "_",
        "\n\n", "\n", "  ", "@", "@@", "#", "x@", "```\n@block\n```\n", "https://x.org/@user",
    ]
)  # fmt: skip
MARKDOWN = st.lists(st.one_of(CITE, NOISE), max_size=12).map(lambda parts: " ".join(parts))


def pandoc_citations(markdown: str) -> set[str]:
    """The keys of every Cite element in pandoc's AST."""
    result = subprocess.run(
        [PANDOC, "-f", "markdown", "-t", "json"],
        input=markdown,
        capture_output=True,
        text=True,
        check=True,
    )
    keys: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Cite":
                keys.update(c["citationId"] for c in node["c"][0])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(result.stdout))
    return {crossref_label(key) or key for key in keys}


@PROFILE
@given(MARKDOWN)
# Disagreements the long profile found, kept as examples so every run tries them.
@example("[@a~$~; @a$a]")  # `~$~` is a subscript: its `$` opens no math across the `;`
@example("~~$~~ @c$d")  # no strikeout (its math runs past `~~`): an empty subscript, then math
@example("@a. @a")  # an example list labelled `a`: `@a` in it is a reference to it
@example("@a0</a @a>")  # a closing tag runs to `>` whatever follows its name: raw HTML
@example("[@a; @a$0$] @a$a")  # the scanner alone missed `a$a`
@example("see https://x.org/@user and @user")  # the scanner alone skips URLs
def test_galley_reports_the_citations_pandoc_finds_each_at_a_line(markdown: str) -> None:
    # pandoc decides (galley.reading.cites, one `pandoc lua` run); the scanner only places.
    placed = place(pandoc_cites([markdown])[0], markdown)
    assert {ref.key for ref in placed} == pandoc_citations(markdown)
    assert all(1 <= ref.line <= markdown.count("\n") + 1 for ref in placed)


@PROFILE
@given(st.text())
def test_the_scanner_accepts_any_text(text: str) -> None:
    lines = text.split("\n")
    for ref in scan_citations(text):
        assert 1 <= ref.line <= len(lines)
        assert ref.key


FIELD_VALUE = st.one_of(
    st.builds(lambda t: "{" + t + "}", st.text(max_size=20)),
    st.builds(lambda t: '"' + t + '"', st.text(max_size=20)),
    st.text(alphabet="abc019#", max_size=8),
)
ENTRY = st.builds(
    lambda kind, key, fields: (
        f"@{kind}{{{key},\n" + ",\n".join(f"  {name} = {value}" for name, value in fields) + "\n}\n"
    ),
    st.sampled_from(["article", "book", "misc", "string", "comment", "preamble", "x"]),
    st.text(alphabet="abc1:_-", max_size=6),
    st.lists(st.tuples(st.sampled_from(["title", "author", "year", "doi", "url"]), FIELD_VALUE)),
)
BIBTEX = st.lists(st.one_of(ENTRY, st.text(max_size=30)), max_size=6).map("".join)


@PROFILE
@given(BIBTEX)
def test_the_bibtex_reader_never_crashes(text: str) -> None:
    with contextlib.suppress(GalleyError):
        parse_bibliography(text, "refs.bib")


def entry_keys(text: str) -> set[str]:
    return {entry.key for entry in parse_bibliography(text, "refs.bib").entries}


@PROFILE
@given(BIBTEX, st.sets(st.text(alphabet="abc1:_-", max_size=6), max_size=3))
@example("@book{a,\n  title = {x\n@misc{b, title = {B}}\n", {"b"})  # b ends a's unclosed value
@example("@comment{\n@misc{b, title = {B}}\n}\n", {"b"})  # a balanced comment: skipped whole
@example("x @string{s = {S}} @misc{b, title = s}\n@misc{c,}\n", {"b"})  # blocks inside a line
def test_the_cited_only_copy_keeps_every_cited_entry_bibtexparser_reads(
    text: str, keys: set[str]
) -> None:
    kept = cited_only(text, keys)
    assert kept.count("\n") == text.count("\n")
    assert entry_keys(text) & keys <= entry_keys(kept)
    assert entry_keys(kept) <= entry_keys(text)


YAML_VALUE = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
        st.text(max_size=10), st.sampled_from(["index.qmd", "refs.bib", "html", "typst", "_out"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["project", "manuscript", "article", "bibliography", "format",
                             "output-dir", "csl", "notebooks", "notebook", "html", "x"]),
            inner, max_size=4,
        ),
    ),
    max_leaves=12,
)  # fmt: skip
QUARTO_YML = st.one_of(
    YAML_VALUE.map(lambda value: yaml.safe_dump(value, allow_unicode=True)),
    st.text(max_size=80),
)


@PROFILE
@given(QUARTO_YML)
def test_the_configuration_loader_never_crashes(tmp_path: Path, text: str) -> None:
    (tmp_path / "index.qmd").write_text("Text.\n", encoding="utf-8")
    (tmp_path / "refs.bib").write_text("", encoding="utf-8")
    (tmp_path / "_quarto.yml").write_text(text, encoding="utf-8")
    with contextlib.suppress(GalleyError):
        load_project(tmp_path)
