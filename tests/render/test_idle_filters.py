"""A format's pandoc run leaves out the filters that would find nothing to do
(galley.engines.idle_filters): those none of whose trigger words is written in what the run
reads. The words must be complete: a document without any comes out of each filter as it went
in (real pandoc, in each format); a construct written only in the metadata keeps its filter; and
what conditional.lua alone would remove from the metadata goes when the filter is left out."""

from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path

import pytest

from galley.engines.idle_filters import TRIGGERS, idle_filters
from galley.engines.pandoc import RESOURCES
from galley.util.tools import pandoc_path
from tests.conftest import galley
from tests.render.fixtures import docx_xml, html, recording_pandoc, write_project

# Much of what an article holds, and none of the filters' words: headings, ids, classes and
# attributes of other names, a figure, a table, citations, a note, code, quotes, raw HTML.
WITHOUT_TRIGGERS = """---
title: A *plain* title
---

# Introduction {#sec-intro}

Words, *emphasis*, **strong**, `code`, "quotes", a [link](https://example.org) and a
[span]{.mark data-x="1"} [@known2020; see @other2019, p. 4].[^1]

[^1]: A note with [@known2020].

::: {#note-x .aside-box key="value"}
A div of another kind.
:::

![A figure](figure.png){#fig-one width="50%"}

| A | B |
|---|---|
| 1 | 2 |

: A table {#tbl-one}

```python
print("hi")
```

> A quote.

<span id="raw">raw HTML</span>

See @fig-one, @tbl-one and @sec-intro.
"""


def run_pandoc(markdown: str, to: str, filters: list[str], out: Path) -> bytes:
    """Pandoc's output for `to` with `filters` (a DOCX: its document part)."""
    command = [pandoc_path(), "--from", "markdown", "--to", to, "--wrap=none", "-o", str(out)]
    for name in filters:
        command += ["--lua-filter", str(RESOURCES / name)]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    subprocess.run(command, input=markdown, text=True, capture_output=True, env=env, check=True)
    if to == "docx":
        with zipfile.ZipFile(out) as docx:
            return docx.read("word/document.xml")
    return out.read_bytes()


def test_the_document_without_triggers_holds_none_of_the_words() -> None:
    assert idle_filters([WITHOUT_TRIGGERS]) == set(TRIGGERS)


@pytest.mark.parametrize("name", sorted(TRIGGERS))
@pytest.mark.parametrize("to", ["html", "docx", "typst"])
def test_without_its_words_a_filter_changes_nothing(name: str, to: str, tmp_path: Path) -> None:
    without = run_pandoc(WITHOUT_TRIGGERS, to, [], tmp_path / f"a.{to}")
    assert run_pandoc(WITHOUT_TRIGGERS, to, [name], tmp_path / f"b.{to}") == without


def test_typst_theorem_names_come_from_settings_that_hold_the_words(tmp_path: Path) -> None:
    # theorem.lua renames Typst's theorem kinds at the top of any document whose settings rename
    # them; those settings' keys are among its words, so it is not left out.
    renamed = WITHOUT_TRIGGERS.replace("---\n\n", "crossref:\n  thm-title: Teorema\n---\n\n", 1)
    without = run_pandoc(renamed, "typst", [], tmp_path / "a.typ")
    assert run_pandoc(renamed, "typst", ["theorem.lua"], tmp_path / "b.typ") != without
    assert "theorem.lua" not in idle_filters([renamed])


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("conditional.lua", "[x]{.content-hidden}"),
        ("list-table.lua", "::: {.list-table}"),
        ("callout.lua", "::: callout-tip"),
        ("theorem.lua", "::: {#thm-a}"),
        ("proof.lua", "::: {.remark}"),
        ("equations.lua", "$x^2$"),
        ("equations.lua", '{"t":"Math"}'),
        ("typst-math.lua", "$x^2$"),
        ("typst-math.lua", "\\begin{equation}"),
        ("layout.lua", 'layout-ncol="2"'),
    ],
)
def test_a_trigger_in_any_text_the_run_reads_keeps_the_filter(name: str, written: str) -> None:
    # The body, the metadata file or a fragment galley adds: any of the texts.
    assert name not in idle_filters(["plain body", f'{{"abstract": "{written}"}}', ""])
    assert name not in idle_filters(["plain body", "{}", f"# Appendix\n\n{written}\n"])


def test_math_and_hidden_content_written_only_in_the_metadata_are_rendered(
    tmp_path: Path,
) -> None:
    front = "title: 'On $x^2$ [draft]{.content-hidden}'\n"
    root = write_project(tmp_path / "p", front, "Plain words, nothing else.\n")

    result = galley("build", cwd=root)

    assert result.returncode == 0, result.stderr
    title = html(root).split("<title>")[1].split("</title>")[0]
    assert title.startswith('On <span class="math inline"><math')  # equations.lua's wrapping
    assert "draft" not in title  # conditional.lua's hiding


@pytest.mark.parametrize("body", ["Plain words.\n", "Plain [hidden]{.content-hidden} words.\n"])
def test_conditional_metadata_flags_never_reach_the_docx(body: str, tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", "title: T\n", body, formats="docx")

    result = galley("build", cwd=root)

    assert result.returncode == 0, result.stderr
    assert "galley-meta-flags" not in docx_xml(root, "docProps/custom.xml")
    assert "Plain" in docx_xml(root) and "hidden" not in docx_xml(root)


@pytest.mark.parametrize("title", ["On $x^2$", "On \\ensuremath{\\alpha}", "On \\(x\\)"])
def test_math_only_in_a_bibliography_keeps_the_typst_math_filter(
    title: str, tmp_path: Path
) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(f"@book{{m2020, author={{Em, Ann}}, title={{{title}}}, year={{2020}}}}\n")
    markdown = f"---\nbibliography: {bib}\n---\n\nAs [@m2020].\n"
    command = [pandoc_path(), "--from", "markdown", "--citeproc", "--to", "typst"]
    without = subprocess.run(command, input=markdown, text=True, capture_output=True, check=True)
    command += ["--lua-filter", str(RESOURCES / "typst-math.lua")]
    filtered = subprocess.run(command, input=markdown, text=True, capture_output=True, check=True)
    assert filtered.stdout != without.stdout  # citeproc brought math the filter writes
    assert "typst-math.lua" in idle_filters([markdown])  # the text alone holds none of its words
    assert "typst-math.lua" not in idle_filters([markdown], [bib])
    assert "typst-math.lua" not in idle_filters([markdown], [tmp_path / "unreadable.bib"])
    bib.write_text("@book{m2020, author={Em, Ann}, title={On words}, year={2020}}\n")
    assert "typst-math.lua" in idle_filters([markdown], [bib])


@pytest.mark.parametrize(("title", "kept"), [("On $x^2$", True), ("On words", False)])
def test_the_pdf_run_keeps_the_typst_math_filter_for_math_in_its_bibliography(
    title: str, kept: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = tmp_path / "filters.txt"
    wrapper = recording_pandoc(tmp_path, record, '"%s\\n" "$GALLEY_FILTERS"')
    root = write_project(
        tmp_path / "p", "title: T\nbibliography: refs.bib\n", "As [@m2020].\n", "typst"
    )
    (root / "doc" / "refs.bib").write_text(
        f"@book{{m2020, author={{Em, Ann}}, title={{{title}}}, year={{2020}}, publisher={{P}}}}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PYPANDOC_PANDOC", str(wrapper))

    result = galley("build", cwd=root)

    assert result.returncode == 0, result.stderr
    filters = record.read_text(encoding="utf-8")
    assert "typst-floats.lua" in filters  # the PDF's run was recorded
    assert ("typst-math.lua" in filters) == kept
