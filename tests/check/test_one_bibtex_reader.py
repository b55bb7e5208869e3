"""One BibTeX reader: the checker, the data's `galley:citationKey`, `galley refs` and the build's
cited-only copy of a large bibliography find the same entries (bibtexparser's, which are
pandoc's), even in a file that the regular expressions they used before read otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import galley

from galley.cli import main
from galley.project import load_project
from galley.reading.bibliography import entry_keys
from galley.reading.bibliography_cut import cited_only
from galley.steps.data import citation_keys

# `inline` starts in the middle of a line, after a note: bibtexparser (and pandoc) read it as an
# entry; a line-anchored regular expression did not, and cut it out with the note before it.
BIB = (
    "@book{a, title = {First}, author = {Doe, Jane}, year = {2001}, publisher = {P}}\n"
    "Note: also @book{inline, title = {Inline Entry}, author = {Roe, Rick}, year = {2002},\n"
    "  publisher = {P}}\n"
)
FILLER = "".join(
    f"@book{{fill{n},\n  title = {{Filler {n}}},\n  author = {{Poe, Pat}},\n  year = {{1999}},\n"
    f"  publisher = {{P}}\n}}\n"
    for n in range(26_000)
)
SCHEMA = {
    "resources": [
        {
            "name": "rows",
            "path": "rows.csv",
            "schema": {
                "fields": [{"name": "source", "type": "string", "galley:citationKey": True}]
            },
        }
    ]
}


def project(root: Path, bib: str) -> Path:
    files = {
        "_quarto.yml": "project:\n  type: manuscript\nmanuscript:\n  article: index.qmd\n"
        "bibliography: refs.bib\nformat:\n  html: default\n",
        "index.qmd": "---\ntitle: T\n---\n\nAs [@inline] shows.\n",
        "refs.bib": bib,
        "data/datapackage.json": json.dumps(SCHEMA),
        "data/rows.csv": "source\ninline\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_an_entry_begun_mid_line_is_one_key_to_check_data_and_the_cut(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, BIB)
    assert entry_keys(BIB, "refs.bib") == {"a", "inline"}
    assert citation_keys(load_project(root), needed=True) == {"a", "inline"}
    assert entry_keys(cited_only(BIB, {"inline"}), "refs.bib") >= {"inline"}
    capsys.readouterr()
    code = main(["check", "--project", str(root), "--format", "json", "--offline"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert code == 0
    assert [(f["rule"], f.get("key")) for f in findings] == [("unused-entry", "a")]
    assert main(["refs", "--project", str(root)]) == 0
    assert capsys.readouterr().out == "Roe, Rick. 2002. Inline Entry. P.\n"


@pytest.mark.slow
def test_a_large_bibliography_keeps_an_entry_begun_mid_line_for_the_build(tmp_path: Path) -> None:
    root = project(tmp_path, FILLER + BIB)
    assert (
        root / "refs.bib"
    ).stat().st_size > 2 * 2**20  # the build cuts it (galley.rendering.preflight)
    result = galley("build", "--to", "html", cwd=root)
    assert result.returncode == 0, result.stderr
    html = (root / "_manuscript" / "index.html").read_text(encoding="utf-8")
    assert "Inline Entry" in html
    assert "Filler 1" not in html
