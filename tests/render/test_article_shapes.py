"""Shapes of Quarto articles that other authors write and galley refused or misread (found by
the corpus, tests/corpus): a journal extension's format (`jasa-pdf`), formats named only in the
front matter, a lone document without `_quarto.yml`, a manuscript project without
`manuscript: article:`, and executable code cells, which galley's embedded engine does not run.
One tiny project per shape, built with the real command line."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import galley

MANUSCRIPT = "project:\n  type: manuscript\nmanuscript:\n  article: index.qmd\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("galley: warning:")]


def test_a_journal_format_renders_as_its_base_with_its_extensions_settings(
    tmp_path: Path,
) -> None:
    extension = (
        "title: Acme\ncontributes:\n  formats:\n    common:\n      number-sections: true\n"
        "    html:\n      include-in-header: partials/header.html\n      toc: true\n"
    )
    root = write(
        tmp_path,
        {
            "_quarto.yml": MANUSCRIPT + "format:\n  acme-html: default\n",
            "_extensions/acme/_extension.yml": extension,
            "index.qmd": "---\ntitle: T\n---\n\n# Intro\n\nText.\n\n# Method\n\nMore.\n",
        },
    )
    result = galley("build", cwd=root)
    assert result.returncode == 0, result.stderr
    page = (root / "_manuscript" / "index.html").read_text(encoding="utf-8")
    numbers = re.findall(r'class="header-section-number">(\d+)<', page)
    assert numbers[:2] == ["1", "2"]  # the extension's number-sections
    assert 'id="TOC"' in page  # its html toc; its partial (a file of its own) is left out


def test_a_format_named_only_in_the_front_matter_is_rendered_too(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "_quarto.yml": MANUSCRIPT + "format:\n  html: default\n",
            "index.qmd": "---\ntitle: T\nformat:\n  docx: default\n---\n\nText.\n",
        },
    )
    result = galley("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert {p.name for p in (root / "_manuscript").glob("index.*")} == {
        "index.html",
        "index.docx",
    }


def test_a_lone_document_without_quarto_yml_is_built_next_to_itself(tmp_path: Path) -> None:
    root = write(tmp_path, {"paper.qmd": "---\ntitle: Lone\nformat: html\n---\n\nText.\n"})
    result = galley("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "Lone" in (root / "paper.html").read_text(encoding="utf-8")


def test_a_folder_of_several_documents_without_quarto_yml_says_which_to_build(
    tmp_path: Path,
) -> None:
    root = write(tmp_path, {"a.qmd": "A\n", "b.qmd": "B\n"})
    result = galley("build", cwd=root)
    assert result.returncode == 2
    assert f"{root}: no _quarto.yml here and 2 documents; run galley" in result.stderr


def test_a_manuscript_project_without_an_article_entry_uses_index_qmd(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "_quarto.yml": "project:\n  type: manuscript\n",
            "index.qmd": "---\ntitle: Default article\n---\n\nText.\n",
            "notes.qmd": "Not the article.\n",
        },
    )
    result = galley("build", cwd=root)
    assert result.returncode == 0, result.stderr
    page = (root / "_manuscript" / "index.html").read_text(encoding="utf-8")
    assert "Default article" in page


def test_a_format_galley_does_not_render_beside_one_it_does_is_left_out_with_a_warning(
    tmp_path: Path,
) -> None:
    # Quarto's smoke test 2026/02/16/issue-13827.qmd lists html and revealjs.
    formats = "format:\n  html: default\n  revealjs: default\n"
    root = write(tmp_path, {"_quarto.yml": MANUSCRIPT + formats, "index.qmd": "x\n"})
    result = galley("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert (
        "galley: warning: index.qmd: format `revealjs` is not one galley renders (html, docx, "
        "typst or pdf, or a journal extension's); it is left out (Quarto renders it)\n"
    ) in result.stderr
    assert (root / "_manuscript" / "index.html").is_file()
    strict = galley("build", "--strict", "--force", cwd=root)
    assert strict.returncode == 1


def test_only_formats_galley_does_not_render_are_refused_naming_the_file(tmp_path: Path) -> None:
    root = write(tmp_path, {"_quarto.yml": MANUSCRIPT + "format: revealjs\n", "index.qmd": "x\n"})
    result = galley("build", cwd=root)
    assert result.returncode == 2
    assert "_quarto.yml: format `revealjs` is not supported (known: html, docx" in result.stderr


CELLS = """---
title: Cells
---

Before.

```{python}
#| label: fit
#| eval: false
import numpy as np
```

```{r echo=FALSE}
summary(cars)
```

```{python}
#| echo: false
secret_value = 1
```

## Results

After the cells.
"""


def test_code_cells_show_their_code_as_quarto_does_and_the_rest_still_reads(
    tmp_path: Path,
) -> None:
    root = write(tmp_path, {"_quarto.yml": MANUSCRIPT, "index.qmd": CELLS})
    result = galley("build", cwd=root)
    assert result.returncode == 0, result.stderr
    page = (root / "_manuscript" / "index.html").read_text(encoding="utf-8")
    assert page.count('<div class="cell">') == 1
    assert "cell-code" in page and "numpy" in page
    assert "#|" not in page and "summary(cars)" not in page and "secret_value" not in page
    assert re.search(r"<h2[^>]*>.*Results", page)  # not swallowed by an open code span
    # The first cell is `eval: false`; the second would have run in Quarto: one warning there.
    cell_warnings = [w for w in warnings(result.stderr) if "code cells are not run" in w]
    assert len(cell_warnings) == 1
    assert cell_warnings[0].startswith("galley: warning: index.qmd:13: ")


def test_cells_under_execute_enabled_false_give_no_warning(tmp_path: Path) -> None:
    config = MANUSCRIPT + "execute:\n  enabled: false\n"
    root = write(tmp_path, {"_quarto.yml": config, "index.qmd": CELLS})
    result = galley("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert not [w for w in warnings(result.stderr) if "code cells" in w]


def test_a_yaml_escape_in_a_double_quoted_title_is_named_at_its_line(tmp_path: Path) -> None:
    # `"$\alpha$"` in YAML is U+0007 then `lpha`: Typst has no glyph for it and wrote `\u{7}`,
    # which galley read as a backslash no font had.
    root = write(
        tmp_path,
        {
            "_quarto.yml": MANUSCRIPT + "format:\n  typst: default\n",
            "index.qmd": '---\ntitle: "Effects of $\\alpha$-diversity"\n---\n\nText.\n',
        },
    )
    result = galley("build", cwd=root)
    assert result.returncode == 1
    assert (
        "galley: error: index.qmd:2: the PDF cannot show the control character U+0007 "
        "(`\\a` in a double-quoted YAML string); in YAML write the backslash twice "
        "(`\\\\alpha`) or quote the value with single quotes"
    ) in result.stderr
