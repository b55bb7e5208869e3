"""What `galley check` prints, and its exit codes (`galley refs`: tests/refs)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from galley.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_text_output_groups_by_file_with_the_fix(
    fixture_project: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = fixture_project("missing-key")
    assert main(["check", "--project", str(root)]) == 1
    assert capsys.readouterr().out == (
        "index.qmd\n"
        "  index.qmd:12: error: citation `@nobody2020` has no entry in the bibliography "
        "[missing-key]\n"
        "    fix: add an entry `nobody2020` to the bibliography, or correct the key\n"
        "1 error(s), 0 warning(s)\n"
    )


def test_github_output_is_workflow_annotations(
    fixture_project: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = fixture_project("unused-entry")
    assert main(["check", "--project", str(root), "--format", "github"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first == (
        "::warning file=refs.bib,line=9,title=unused-entry::entry `buzan2003` is not cited"
        " — fix: cite it (`[@buzan2003]`), list it under `nocite:` in the front matter, "
        "or delete it"
    )


def test_links_and_offline_together_are_a_usage_error(
    fixture_project: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = fixture_project("clean")
    assert main(["check", "--project", str(root), "--links", "--offline"]) == 2
    assert "--links checks the network and --offline forbids it" in capsys.readouterr().err


def test_missing_bibliography_is_a_configuration_error(
    fixture_project: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = fixture_project("clean")
    (root / "refs.bib").unlink()
    assert main(["check", "--project", str(root)]) == 2
    assert "bibliography `refs.bib` named in _quarto.yml does not exist" in capsys.readouterr().err


def test_the_article_passes_with_no_error_and_no_warning(
    capsys: pytest.CaptureFixture[str],
) -> None:
    if not (REPO / "_quarto.yml").is_file():
        pytest.skip("the article is not in this checkout")
    assert main(["check", "--project", str(REPO), "--offline"]) == 0
    assert capsys.readouterr().out == "galley check: no problems found\n"
