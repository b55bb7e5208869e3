"""Every path and value from the configuration or the environment is checked before use: each
odd but plain one ends in one line naming it and what to do, exit 1 or 2, never a traceback and
nothing written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hardening.conftest import QUARTO, make_project, run

STEP = '[tool.galley.steps.s]\nscript = "s.py"\noutputs = ["o.txt"]\n'
TODAY = "---\ntitle: T\ndate: today\n---\n\nText [@a].\n"


def _only_error(stderr: str) -> str:
    errors = [line for line in stderr.splitlines() if line.startswith("galley: error:")]
    assert len(errors) == 1, stderr
    assert "Traceback" not in stderr
    return errors[0]


def test_an_article_outside_the_project_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "elsewhere.qmd").write_text("---\ntitle: Not ours\n---\n\nSecret.\n", "utf-8")
    root = make_project(tmp_path / "project", {
        "_quarto.yml": QUARTO.replace("article: index.qmd", "article: ../elsewhere.qmd"),
    })  # fmt: skip
    result = run("build", cwd=root)
    assert result.returncode == 2
    assert _only_error(result.stderr) == (
        f"galley: error: {root}/_quarto.yml: `manuscript: article:` names `../elsewhere.qmd`, "
        "which lies outside the project folder; galley reads and writes only inside it: name a "
        "path inside the project"
    )
    assert "Secret" not in result.stderr and not (root / "_manuscript").exists()


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("1700000000000", "a time after the year 9999 (milliseconds?)"),
        ("1.7e9", None),
        ("-1", None),
    ],
)
def test_a_source_date_epoch_that_is_no_time_is_refused_before_anything_is_written(
    tiny: Callable[..., Path], value: str, why: str | None
) -> None:
    root = tiny({"index.qmd": TODAY})
    result = run("build", cwd=root, env={"SOURCE_DATE_EPOCH": value})
    assert result.returncode == 2
    said = f"`{value}`, {why};" if why else f"`{value}`;"
    assert _only_error(result.stderr) == (
        f"galley: error: SOURCE_DATE_EPOCH is {said} set it to whole seconds since 1970 (as "
        "`date +%s` prints them) or unset it"
    )
    assert not (root / "_manuscript").exists()


def test_a_source_date_epoch_in_seconds_dates_the_article(tiny: Callable[..., Path]) -> None:
    root = tiny({"index.qmd": TODAY})
    result = run("build", cwd=root, env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.returncode == 0, result.stderr
    assert "November 14, 2023" in (root / "_manuscript" / "index.html").read_text("utf-8")


def test_an_export_under_a_file_is_refused_in_one_line(tiny: Callable[..., Path]) -> None:
    root = tiny({"pyproject.toml": STEP, "s.py": "", "workflow": "a file, not a folder\n"})
    result = run("export", "snakemake", "--output", "workflow/galley.smk", cwd=root)
    assert result.returncode == 2
    assert _only_error(result.stderr) == (
        "galley: error: --output `workflow/galley.smk` lies under `workflow`, which is a file, "
        "not a folder; choose another path, or move the file"
    )
    assert (root / "workflow").read_text("utf-8") == "a file, not a folder\n"


def test_an_empty_data_file_is_named_as_empty(tiny: Callable[..., Path]) -> None:
    package = (
        '{"resources": [{"path": "values.csv", "schema": {"fields": [{"name": "year"}, '
        '{"name": "value"}]}}]}'
    )
    root = tiny({"data/datapackage.json": package, "data/values.csv": ""})
    result = run("check", "--offline", cwd=root)
    assert result.returncode == 1
    assert _only_error(result.stderr) == (
        "galley: error: data/values.csv: the data file is empty; write its header (year, value) "
        "and its rows, or remove the resource from data/datapackage.json"
    )
