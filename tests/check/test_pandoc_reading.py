"""pandoc decides what is a citation: `galley check`, `galley refs` and the scanner's places."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from galley.cli import main
from galley.reading.cites import pandoc_cites
from galley.reading.uses import place

CONFIG = "project:\n  type: manuscript\nmanuscript:\n  article: index.qmd\nbibliography: refs.bib\n"


def project(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in {"_quarto.yml": CONFIG, **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, Any]]]:
    capsys.readouterr()
    code = main(["check", "--project", str(root), "--format", "json", "--offline"])
    return code, json.loads(capsys.readouterr().out)["findings"]


def where(findings: list[dict[str, Any]], rule: str) -> list[tuple[str, str, int]]:
    return [
        (f.get("key") or f.get("label"), f["path"], f["line"])
        for f in findings
        if f["rule"] == rule
    ]


def test_a_bare_url_with_at_cites_as_pandoc_reads_it_and_is_placed_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(
        tmp_path,
        {
            "index.qmd": "---\ntitle: T\n---\n\nAs [@a] says.\n\nSee https://x.org/@user for more.\n",
            "refs.bib": "@book{a,\n  title = {T},\n  author = {A, B},\n  year = {2001},\n  publisher = {P}\n}\n",
        },
    )
    code, findings = check(root, capsys)
    assert code == 1
    assert where(findings, "missing-key") == [("user", "index.qmd", 7)]


def test_keys_with_dollar_signs_are_those_pandoc_reads_at_the_included_files_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(
        tmp_path,
        {
            "index.qmd": "---\ntitle: T\n---\n\nIntro.\n\n{{< include part.qmd >}}\n",
            "part.qmd": "A line.\n\nB line.\n[@a; @a$0$] @a$a\n",
            "refs.bib": "@book{a,\n  title = {T},\n  author = {A, B},\n  year = {2001},\n  publisher = {P}\n}\n",
        },
    )
    code, findings = check(root, capsys)
    assert code == 1
    assert sorted(where(findings, "missing-key")) == [
        ("a$0", "part.qmd", 4),
        ("a$a", "part.qmd", 4),
    ]
    assert where(findings, "unused-entry") == []


def test_a_crossref_pandoc_reads_in_a_url_is_checked_against_the_labels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(
        tmp_path,
        {"index.qmd": "Text.\n\nSee https://x.org/@fig-nothere here.\n", "refs.bib": ""},
    )
    code, findings = check(root, capsys)
    assert code == 1
    assert where(findings, "undefined-crossref") == [("fig-nothere", "index.qmd", 3)]


def test_what_the_scanner_takes_for_a_citation_but_pandoc_does_not_is_not_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An `@` in a raw HTML attribute: text of the tag, never a citation, to pandoc.
    root = project(
        tmp_path,
        {
            "index.qmd": 'Text <span title="by @nobody">x</span>.\n\n:::: {note="@nobody2"}\nX.\n::::\n',
            "refs.bib": "",
        },
    )
    assert check(root, capsys) == (0, [])


def test_an_edited_article_is_read_again_not_taken_from_the_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, {"index.qmd": "Text.\n", "refs.bib": ""})
    assert check(root, capsys) == (0, [])
    assert (root / ".galley" / "cache" / "citations.json").is_file()
    (root / "index.qmd").write_text("Text.\n\nAs @new says.\n", encoding="utf-8")
    _, findings = check(root, capsys)
    assert where(findings, "missing-key") == [("new", "index.qmd", 3)]


def test_galley_refs_lists_an_entry_cited_only_where_pandoc_sees_a_citation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bib = (
        "@book{user,\n  title = {Only in a URL},\n  author = {Doe, Jane},\n  year = {2001},\n"
        "  publisher = {P}\n}\n@book{other,\n  title = {Not cited},\n  author = {Roe, R},\n"
        "  year = {2002},\n  publisher = {P}\n}\n"
    )
    root = project(tmp_path, {"index.qmd": "See https://x.org/@user.\n", "refs.bib": bib})
    capsys.readouterr()
    assert main(["refs", "--project", str(root)]) == 0
    out = capsys.readouterr().out
    assert "Only in a URL" in out
    assert "Not cited" not in out


def test_each_text_is_read_on_its_own_in_one_pandoc_run() -> None:
    # Read together, the first text's example list `(@b)` would make the second's `@b` its number.
    assert pandoc_cites(["(@b) An example.", "As @b says, @fig-x", ""]) == [[], ["b", "fig-x"], []]
    assert pandoc_cites(["(@b) An example.\n\nAs @b says, @fig-x"]) == [["fig-x"]]


def test_a_key_the_scanner_cannot_place_stands_at_the_previous_citations_line() -> None:
    text = "First.\n\n[@a]\n\nLast."
    placed = place(["a", "written-nowhere"], text)
    assert [(ref.key, ref.line) for ref in placed] == [("a", 3), ("written-nowhere", 3)]


def test_a_repeated_key_is_placed_at_each_of_its_lines() -> None:
    text = "@a one\n\ntwo https://x.org/@a\n\n[-@a] three"
    assert [ref.line for ref in place(pandoc_cites([text])[0], text)] == [1, 3, 5]


def test_nocite_in_the_project_settings_counts_in_check_as_in_the_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = "@book{{{key}, title = {{T}}, author = {{A, B}}, year = {{2001}}, publisher = {{P}}}}\n"
    root = project(
        tmp_path,
        {
            "_quarto.yml": CONFIG + "nocite: |\n  @b\n",
            "index.qmd": "---\ntitle: T\n---\n\nAs [@a] says.\n",
            "refs.bib": "".join(entry.format(key=key) for key in "abc"),
        },
    )
    _, findings = check(root, capsys)
    assert where(findings, "unused-entry") == [("c", "refs.bib", 3)]
