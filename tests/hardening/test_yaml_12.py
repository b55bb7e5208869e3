"""Front matter, `_quarto.yml`, metadata files and `_variables.yml` read as YAML 1.2, as Quarto
reads them: `no`, `yes`, `on`, `off` and unquoted dates are text, `0755` is the decimal 755
(YAML 1.1 read 493), and a key given twice is refused with its file and line; through the real
`galley build` and `galley check`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hardening.conftest import QUARTO, make_project, run

ARTICLE = """\
---
title: A small article
subtitle: yes
lang: no
keywords: [on, off]
released: 2025-05-01 10:30:00
mode: 0755
---

Text [@a]. Released {{< meta released >}}, mode {{< meta mode >}}, variable {{< var mode >}}.
"""


@pytest.fixture(scope="module")
def yaml_11_words(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose front matter and `_variables.yml` YAML 1.1 would read as other values,
    built once."""
    root = make_project(
        tmp_path_factory.mktemp("yaml") / "project",
        {"index.qmd": ARTICLE, "_variables.yml": "mode: 0755\n"},
    )
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def html(root: Path) -> str:
    return (root / "_manuscript" / "index.html").read_text(encoding="utf-8")


def test_lang_no_is_norwegian_not_false(yaml_11_words: Path) -> None:
    assert '<html lang="no">' in html(yaml_11_words)


def test_yes_on_and_off_are_text(yaml_11_words: Path) -> None:
    page = html(yaml_11_words)
    assert '<p class="subtitle">yes</p>' in page
    assert '<meta name="keywords" content="on, off">' in page


def test_an_unquoted_date_and_time_stay_the_text_written(yaml_11_words: Path) -> None:
    assert "Released 2025-05-01 10:30:00," in html(yaml_11_words)


def test_a_leading_zero_is_decimal_as_in_yaml_12(yaml_11_words: Path) -> None:
    assert "mode 755, variable 755." in html(yaml_11_words)


def test_check_reads_the_same_front_matter_without_a_problem(yaml_11_words: Path) -> None:
    result = run("check", "--offline", cwd=yaml_11_words)
    assert (result.returncode, result.stdout) == (0, "galley check: no problems found\n")


TWICE = "---\ntitle: A\nlang: no\ntitle: C\n---\n\nText [@a].\n"


@pytest.mark.parametrize("command", [("build",), ("check", "--offline")])
@pytest.mark.parametrize(
    ("files", "code", "message"),
    [
        (
            {"index.qmd": TWICE},
            1,
            "index.qmd:4: invalid YAML front matter: key `title` is given twice (first at line "
            "2); keep one",
        ),
        (
            {"_quarto.yml": QUARTO + "lang: no\nbibliography: other.bib\n"},
            2,
            "{root}/_quarto.yml:13: invalid YAML: key `bibliography` is given twice (first at "
            "line 8); keep one",
        ),
        (
            {
                "_quarto.yml": QUARTO + "metadata-files: [meta.yml]\n",
                "meta.yml": "subtitle: on\nsubtitle: off\n",
            },
            2,
            "{root}/meta.yml:2: invalid YAML: key `subtitle` is given twice (first at line 1); "
            "keep one",
        ),
    ],
)
def test_a_key_given_twice_is_refused_by_build_and_check(
    command: tuple[str, ...], files: dict[str, str], code: int, message: str, tmp_path: Path
) -> None:
    root = make_project(tmp_path / "project", files)
    result = run(*command, cwd=root)
    assert (result.returncode, result.stderr) == (
        code,
        f"galley: error: {message.format(root=root)}\n",
    )
    assert not (root / "_manuscript").exists()


@pytest.mark.parametrize("command", [("build",), ("check", "--offline")])
@pytest.mark.parametrize(
    ("files", "code", "message"),
    [
        (
            {"index.qmd": "---\ntitle: A\ntoc: no\n---\n\nText [@a].\n"},
            1,
            "index.qmd:3: invalid YAML front matter: `toc: no` is not a boolean in YAML 1.2, "
            "which Quarto reads (only true and false are); write `toc: false`",
        ),
        (
            {"_quarto.yml": QUARTO.replace("html: default", "html:\n    number-sections: On")},
            2,
            "{root}/_quarto.yml:12: invalid YAML: `number-sections: On` is not a boolean in YAML "
            "1.2, which Quarto reads (only true and false are); write `number-sections: true`",
        ),
    ],
)
def test_a_yes_or_no_word_for_a_boolean_setting_is_refused_not_inverted(
    command: tuple[str, ...], files: dict[str, str], code: int, message: str, tmp_path: Path
) -> None:
    root = make_project(tmp_path / "project", files)
    result = run(*command, cwd=root)
    assert (result.returncode, result.stderr) == (
        code,
        f"galley: error: {message.format(root=root)}\n",
    )
