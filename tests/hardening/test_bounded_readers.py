"""Every reader is bounded: YAML (depth, aliases expanded), JSON (depth), BibTeX @string
macros (expanded length), Table Schema patterns (time per value) and the shortcode and citation
scanners (work linear in the text: counted, not timed). Each refusal names the file, the line
and the limit, with exit 1 or 2, never a traceback."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from galley.project import load_project
from galley.reading.citations import scan_masked
from galley.reading.documents import load_corpus
from galley.reading.markdown import mask
from galley.reading.sources import load_source
from tests.hardening.conftest import ARTICLE, make_project, run


def _alias_bomb(levels: int = 9) -> str:
    """A few hundred bytes of YAML whose aliases, each naming the one before nine times,
    expand to 9**levels strings."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


DEEP_YAML = "deep: " + "[" * 20_000 + "]" * 20_000 + "\n"
DEEP_JSON = "[" * 100_000 + "]" * 100_000
MACROS = '@string{s0 = "xx"}\n' + "".join(
    f"@string{{s{i} = s{i - 1} # s{i - 1}}}\n" for i in range(1, 41)
)
SLUG = "^([a-z0-9]+-?)+$"  # a common slug pattern: backtracks for minutes on the value below
SLUG_PACKAGE = (
    '{"resources": [{"path": "values.csv", "schema": {"fields": [{"name": "slug", '
    f'"constraints": {{"pattern": "{SLUG}"}}}}]}}}}]}}'
)
CSL_PACKAGE = (
    '{"resources": [{"path": "values.csv", "schema": {"fields": [{"name": "key", '
    '"galley:citationKey": true}]}}]}'
)


@dataclass
class Case:
    files: dict[str, str]
    args: tuple[str, ...]
    code: int
    message: str  # the error's line (build) or the finding's (check)


CASES = {
    "front-matter-depth": Case(
        {"index.qmd": f"---\ntitle: T\n{DEEP_YAML}---\n\nText.\n"},
        ("build",),
        1,
        "galley: error: index.qmd:3: invalid YAML front matter: collections nested deeper than "
        "100 levels; galley reads YAML up to 100 levels deep",
    ),
    "front-matter-aliases": Case(
        {"index.qmd": f"---\ntitle: T\n{_alias_bomb()}---\n\nText.\n"},
        ("build",),
        1,
        "galley: error: index.qmd:8: invalid YAML front matter: with its 43 aliases expanded, "
        "the YAML holds more than 1,001,064 nodes and characters (galley's limit); write the "
        "values out instead of repeating aliases of aliases",
    ),
    "quarto-yml-aliases": Case(
        {"_quarto.yml": "project:\n  type: manuscript\nmanuscript:\n  article: index.qmd\n"
         + _alias_bomb()},
        ("build",),
        2,
        "galley: error: {root}/_quarto.yml:10: invalid YAML: with its 43 aliases expanded, the "
        "YAML holds more than 1,001,168 nodes and characters (galley's limit); write the values "
        "out instead of repeating aliases of aliases",
    ),
    "variables-depth": Case(
        {"_variables.yml": DEEP_YAML, "index.qmd": ARTICLE},
        ("build",),
        2,
        "galley: error: {root}/_variables.yml:1: invalid YAML: collections nested deeper than "
        "100 levels; galley reads YAML up to 100 levels deep",
    ),
    "datapackage-depth": Case(
        {"data/datapackage.json": DEEP_JSON},
        ("check", "--offline"),
        2,
        "galley: error: data/datapackage.json:1: JSON nested deeper than 64 levels; galley reads "
        "JSON up to 64 levels deep: flatten it",
    ),
    "csl-json-depth": Case(
        {
            "data/datapackage.json": CSL_PACKAGE,
            "data/values.csv": "key\na\n",
            "refs.json": DEEP_JSON,
            # a step, so that the build validates the data (and reads the keys) before it
            "pyproject.toml": '[tool.galley.steps.s]\nscript = "s.py"\noutputs = ["o.txt"]\n',
            "s.py": "",
            "_quarto.yml": "project:\n  type: manuscript\nmanuscript:\n  article: index.qmd\n"
            "bibliography: refs.json\n",
        },
        ("build",),
        1,
        "galley: error: refs.json:1: JSON nested deeper than 64 levels; galley reads JSON up to "
        "64 levels deep: flatten it",
    ),
    "bibtex-macros-build": Case(
        {"refs.bib": MACROS + "@misc{a, title = s40, year = 2020}\n"},
        ("build",),
        1,
        "galley: error: refs.bib:20: @string `s19` expands to 1,048,576 characters with its "
        "@strings, more than galley's limit of 1,000,000 (pandoc would hold every copy in "
        "memory); write the value out, or use fewer copies of the @strings in it",
    ),
    "bibtex-macros-check": Case(
        {"refs.bib": MACROS + "@misc{a, title = s40, year = 2020}\n"},
        ("check", "--offline"),
        1,
        "  refs.bib:20: error: @string `s19` expands to 1,048,576 characters with its @strings, "
        "more than galley's limit of 1,000,000 (pandoc would hold every copy in memory) "
        "[bib-syntax]",
    ),
    "document-depth": Case(
        {"index.qmd": "---\ntitle: T\n---\n\n" + "> " * 3_000 + "deep\n"},
        ("build",),
        1,
        "galley: error: index.qmd: the article nests block quotes, lists or divs deeper than "
        "galley reads (more than 200 levels of pandoc's reading); flatten them",
    ),
    "pattern-time": Case(
        {
            "data/datapackage.json": SLUG_PACKAGE,
            "data/values.csv": "slug\nok-slug\n" + "a" * 37 + "!\n",
        },
        ("check", "--offline"),
        1,
        f'  data/values.csv:3: error: column slug: the pattern `{SLUG}` takes longer than 2 s on '
        f'"{"a" * 37}!" (galley stops a Table Schema pattern after 2 s a value; frictionless '
        "would not) [bad-data]",
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_reader_past_its_limit_refuses_naming_file_line_and_limit(
    tiny: Callable[..., Path], name: str
) -> None:
    case = CASES[name]
    root = tiny(case.files)
    result = run(*case.args, cwd=root, timeout=300)
    assert result.returncode == case.code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    shown = case.message.format(root=root)
    assert shown in result.stdout.splitlines() + result.stderr.splitlines()


def test_an_entry_inside_a_balanced_comment_is_no_entry(tiny: Callable[..., Path]) -> None:
    """BibTeX, biber and pandoc skip `@comment{…}` whole: the entry inside is not there, so
    citing it is a missing key, and nothing is a syntax error."""
    bib = "@comment{\n@misc{hidden, title = {In a comment}, year = 2020}\n}\n"
    article = "---\ntitle: T\n---\n\nCites [@a] and [@hidden].\n"
    root = tiny({"refs.bib": bib + "@misc{a, title = {A}, author = {Doe, J}, year = 2020}\n",
                 "index.qmd": article})  # fmt: skip
    result = run("check", "--offline", cwd=root)
    assert result.returncode == 1
    assert "bib-syntax" not in result.stdout
    assert (
        "index.qmd:5: error: citation `@hidden` has no entry in the bibliography" in result.stdout
    )


class _Counted:
    """A compiled pattern that adds to `count` the characters each call hands it to scan."""

    def __init__(self, pattern: re.Pattern[str], count: list[int]) -> None:
        self.pattern, self.count = pattern, count

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.pattern, name)
        if name not in ("match", "fullmatch", "search", "finditer", "sub", "findall", "split"):
            return method

        def counted(*args: Any, **kwargs: Any) -> Any:
            text = next((a for a in args if isinstance(a, str)), "")
            numbers = [a for a in args if isinstance(a, int)]
            start = numbers[0] if numbers and name != "sub" else 0
            end = numbers[1] if len(numbers) > 1 and name != "sub" else len(text)
            self.count[0] += max(end - start, 0) + 1
            return method(*args, **kwargs)

        return counted


@contextmanager
def counting() -> Iterator[list[int]]:
    """Count the work galley's own code does: each line it runs, and each character it hands a
    regular expression of its modules to scan (each of those patterns reads a window once: fixed
    tokens, or classes a match cannot restart inside)."""
    count = [0]
    patched = []
    for module in [m for name, m in sys.modules.items() if name.startswith("galley.")]:
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                patched.append((module, name, value))
                setattr(module, name, _Counted(value, count))

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        if "/galley/" in frame.f_code.co_filename:
            count[0] += 1
            return trace
        return None

    sys.settrace(trace)
    try:
        yield count
    finally:
        sys.settrace(None)
        for module, name, value in patched:
            setattr(module, name, value)


def _work(tmp_path: Path, body: str) -> int:
    root = make_project(tmp_path, {"index.qmd": f"---\ntitle: T\n---\n\n{body}\n"})
    project = load_project(root)
    with counting() as count:
        load_source(project)
        corpus = load_corpus(project, set(), set())
        for document in corpus.documents:
            scan_masked(mask(document.text).text)
    return count[0]


@pytest.mark.parametrize(
    "piece",
    [
        "{{< ",  # openers that never close, on one line
        "{{< var\n",  # openers that never close, each on a line of its own: one shortcode
        "<a:<a:",  # autolinks that never close
        "a.a.",  # schemes that never become URLs
        "{{< var a {{< var a >x ",  # shortcodes whose arguments hold a `>`
        "<!-- ",  # comments that never close
        "<!a ",  # declarations that never close
    ],
)
def test_reading_the_sources_takes_work_linear_in_the_text(tmp_path: Path, piece: str) -> None:
    small = _work(tmp_path / "small", "Text [@a] " + piece * 2_000)
    large = _work(tmp_path / "large", "Text [@a] " + piece * 4_000)
    assert large <= 2.2 * small


def test_string_macros_past_the_limit_are_refused_in_a_large_bibliography_too(
    tiny: Callable[..., Path],
) -> None:
    """A bibliography over 2 MB is left to pandoc's reading, but not its @strings' lengths."""
    filler = "".join(f"@misc{{f{i}, title = {{Filler entry {i:07d}}}}}\n" for i in range(60_000))
    assert len(filler) > 2 * 2**20
    bib = filler + MACROS + "@misc{a, title = s40, year = 2020}\n"
    result = run("build", cwd=tiny({"refs.bib": bib}), timeout=300)
    assert result.returncode == 1
    assert (
        "galley: error: refs.bib:60020: @string `s19` expands to 1,048,576 characters with its "
        "@strings, more than galley's limit of 1,000,000 (pandoc would hold every copy in "
        "memory); write the value out, or use fewer copies of the @strings in it"
    ) in result.stderr.splitlines()
