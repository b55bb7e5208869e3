"""The HTML and the DOCX written by one pandoc run (galley.engines.format_pair) on a machine with
fewer cores than formats: the oracle is the same build with a run per format (more cores), which
must give every output byte for byte; and each format still stands on its own when the other
fails in the shared run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from galley.engines.options import RenderOptions
from galley.engines.pandoc import PandocEngine
from galley.errors import ToolError
from galley.pipeline.build import source_notes
from galley.project import load_project
from galley.reading.local_files import local_files
from galley.reading.pandoc_reading import read_article
from galley.reading.sources import load_source
from galley.util.tools import pandoc_path
from tests.conftest import galley
from tests.render.test_crossrefs import make_project

CORPUS = Path(__file__).parents[1] / "corpus"
OUT = Path("doc")


@pytest.fixture(autouse=True)
def pandoc_found_again() -> Iterator[None]:
    """pandoc_path keeps its answer: found again with the logging wrapper, and after it."""
    pandoc_path.cache_clear()
    yield
    pandoc_path.cache_clear()


def render(
    root: Path, stage: Path, cores: int, monkeypatch: pytest.MonkeyPatch
) -> dict[str, object]:
    """The three formats rendered as a machine with `cores` cores renders them; the formats that
    failed. Each pandoc command is logged (by a wrapper that runs the real pandoc) in `stage`'s
    sibling `runs.log`."""
    log = stage.parent / f"{stage.name}-runs.log"
    wrapper = stage.parent / f"{stage.name}-pandoc"
    monkeypatch.delenv("PYPANDOC_PANDOC", raising=False)
    pandoc_path.cache_clear()
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {pandoc_path()} "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PYPANDOC_PANDOC", str(wrapper))
    pandoc_path.cache_clear()
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    project = load_project(root)
    source = load_source(project)
    reading = read_article(project, source)
    options = RenderOptions(
        formats=["html", "docx", "typst"],
        source=source,
        source_notes=source_notes(project, source),
        local_files=local_files(project, source, reading),
        reading=reading,
    )
    stage.mkdir(exist_ok=True)
    return dict(PandocEngine().render(project, options, stage))


def files(stage: Path) -> dict[str, bytes]:
    return {str(p.relative_to(stage)): p.read_bytes() for p in stage.rglob("*") if p.is_file()}


def runs(stage: Path) -> list[str]:
    """The writers of the pandoc runs that applied galley's filters (the PDF's: `typst`, or
    `typst-citations` with pandoc's citeproc)."""
    lines = (stage.parent / f"{stage.name}-runs.log").read_text().splitlines()
    writers = (line.split(" -t ")[1].split()[0] for line in lines if "--lua-filter" in line)
    return sorted(writer.split("-")[0] for writer in writers)


@pytest.mark.parametrize("article", ["the article", "coastal-erosion"])
def test_one_run_for_the_html_and_the_docx_writes_what_a_run_each_writes(
    article: str,
    built_project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = built_project if article == "the article" else tmp_path / article
    if article != "the article":
        shutil.copytree(CORPUS / article, root)

    assert render(root, tmp_path / "paired", 2, monkeypatch) == {}
    assert render(root, tmp_path / "apart", 4, monkeypatch) == {}

    assert runs(tmp_path / "paired") == ["html5", "typst"]
    assert runs(tmp_path / "apart") == ["docx", "html5", "typst"]
    paired, apart = files(tmp_path / "paired"), files(tmp_path / "apart")
    assert sorted(paired) == sorted(apart)
    assert {".html", ".docx", ".pdf"} <= {Path(name).suffix for name in paired}
    for name, content in paired.items():
        assert content == apart[name], name


def small_project(root: Path) -> Path:
    """A small article with a citation, built once (for its style, fetched by the build)."""
    make_project(root, "# One\n\nSome text [@known2020].\n")
    assert galley("build", cwd=root).returncode == 0
    return root


def unwritable(stage: Path, fmt: str) -> None:
    """The staged output of `fmt` made a link to a folder that does not exist: pandoc (or
    pipeline.lua) cannot write it."""
    (stage / OUT).mkdir(parents=True)
    (stage / OUT / f"index.{fmt}").symlink_to(stage / "nowhere" / f"index.{fmt}")


def test_a_docx_that_fails_in_the_shared_run_leaves_the_html_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small_project(tmp_path / "project")
    stage = tmp_path / "stage"
    unwritable(stage, "docx")

    failures = render(root, stage, 2, monkeypatch)

    assert runs(stage) == ["html5", "typst"]
    assert sorted(failures) == ["docx"]
    error = failures["docx"]
    assert isinstance(error, ToolError)
    assert str(error).startswith("pandoc failed rendering doc/index.qmd to docx (exit 1):\n")
    assert str(error).endswith("stage/doc/index.docx: No such file or directory")
    assert "Some text" in (stage / OUT / "index.html").read_text(encoding="utf-8")
    assert (stage / OUT / "index.pdf").is_file()
    assert not (stage / OUT / "index.docx").is_symlink()  # what the failed format left goes


def test_an_html_that_fails_in_the_shared_run_leaves_the_docx_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small_project(tmp_path / "project")
    stage = tmp_path / "stage"
    unwritable(stage, "html")

    failures = render(root, stage, 2, monkeypatch)

    assert runs(stage) == ["html5", "typst"]
    assert sorted(failures) == ["html"]
    assert str(failures["html"]).startswith(
        "pandoc failed rendering doc/index.qmd to html (exit 1):\n"
    )
    assert "index.html" in str(failures["html"])
    # The DOCX is written, and finished by galley (its reference list's hanging indent).
    shutil.unpack_archive(stage / OUT / "index.docx", tmp_path / "docx", "zip")
    document = (tmp_path / "docx" / "word" / "document.xml").read_text(encoding="utf-8")
    assert "Some text" in document
    assert (stage / OUT / "index.pdf").is_file()


def test_a_shared_run_that_dies_before_the_docx_is_written_is_run_again_a_format_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small_project(tmp_path / "project")
    stage = tmp_path / "stage"
    monkeypatch.setenv("GHCRTS", "-M4m")  # a heap pandoc cannot read the article in: it dies

    failures = render(root, stage, 2, monkeypatch)

    # The shared run, then a run each for the HTML and the DOCX to learn which fails and why.
    assert runs(stage).count("html5") == 2 and runs(stage).count("docx") == 1
    for fmt in ("html", "docx"):
        assert str(failures[fmt]).startswith(f"pandoc failed rendering doc/index.qmd to {fmt} ")
        assert "Heap exhausted" in str(failures[fmt])
