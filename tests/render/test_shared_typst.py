"""The PDF's .typ written by the shared pandoc run (galley.engines.format_pair) on a machine with
fewer cores than formats, before the DOCX and the HTML, and compiled by galley while the run goes
on. The oracle is the same render with a run per format (more cores): the same .typ byte for
byte, the same PDF, the same warnings. Each format still stands on its own, and Typst's fallback
to pandoc's citeproc for a style it cannot read still gives the PDF. Real pandoc, real Typst."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from galley.engines import typst_run
from galley.errors import ToolError
from tests.render.test_format_pair import (
    CORPUS,
    OUT,
    assert_same_files,
    image_project,
    render,
    runs,
    small_project,
)
from tests.render.test_policies import _png


def keeping_typ(monkeypatch: pytest.MonkeyPatch, kept: Path) -> None:
    """Each .typ Typst compiles copied to `kept` first (by name), then compiled as before."""
    compile_pdf = typst_run.compile_pdf

    def keep_then_compile(*args: object) -> None:
        typ = args[2]
        assert isinstance(typ, Path)
        kept.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(typ, kept / typ.name)
        compile_pdf(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(typst_run, "compile_pdf", keep_then_compile)


def same_typ_and_files(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The three formats rendered on 2 cores and on 4: the same .typ, files and warnings."""
    keeping_typ(monkeypatch, tmp_path / "paired-typ")
    assert render(root, tmp_path / "paired", 2, monkeypatch) == {}
    paired_warnings = capsys.readouterr().err
    keeping_typ(monkeypatch, tmp_path / "apart-typ")
    assert render(root, tmp_path / "apart", 4, monkeypatch) == {}

    assert runs(tmp_path / "paired") == ["html5+typst+docx"]
    assert runs(tmp_path / "apart") == ["docx", "html5", "typst"]
    assert_same_files(tmp_path / "paired-typ", tmp_path / "apart-typ", {".typ"})
    assert_same_files(tmp_path / "paired", tmp_path / "apart", {".html", ".docx", ".pdf"})
    assert capsys.readouterr().err == paired_warnings


@pytest.mark.parametrize("article", ["the article", "soil-microbiome"])
def test_the_shared_runs_typ_and_pdf_are_a_run_eachs(
    article: str,
    built_project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The article's PDF cites with pandoc's citeproc (its Typst chain renders the citations for
    # all three), the corpus article's with Typst's own.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = built_project if article == "the article" else tmp_path / article
    if article != "the article":
        shutil.copytree(CORPUS / article, root)

    same_typ_and_files(root, tmp_path, monkeypatch, capsys)


def test_a_data_uri_image_is_written_beside_the_shared_runs_typ(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # typst-paths.lua writes a `data:` image beside the .typ, which the Typst chain finds as the
    # run's output file: the HTML's, in the shared run, unless it is the .typ's there too.
    root = image_project(tmp_path / "project", "dot.png")
    capsys.readouterr()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")

    same_typ_and_files(root, tmp_path, monkeypatch, capsys)

    typ = (tmp_path / "paired-typ" / "index.typ").read_text(encoding="utf-8")
    assert '"galley-data-' in typ


def test_a_typst_chain_that_fails_in_the_shared_run_leaves_the_html_and_the_docx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A `data:` image whose file beside the .typ cannot be written: the project has a folder of
    # that name (linked into the .typ's staging folder), so typst-paths.lua fails, in the Typst
    # chain alone.
    name = f"galley-data-{hashlib.sha1(_png()).hexdigest()}.png"
    root = image_project(tmp_path / "project", f"{name}/dot.png")
    (root / "doc" / name).mkdir()
    (root / "doc" / name / "dot.png").write_bytes(_png())
    stage = tmp_path / "stage"

    failures = render(root, stage, 2, monkeypatch)

    assert runs(stage) == ["html5+typst+docx"]
    assert sorted(failures) == ["typst"]
    assert isinstance(failures["typst"], ToolError)
    assert str(failures["typst"]).startswith(
        "pandoc failed rendering doc/index.qmd to typst (exit 1):\n"
    )
    # Its error (the cause, last), not the traceback pandoc adds.
    assert "typst-paths.lua:35: /" in str(failures["typst"]).splitlines()[-1]
    assert "stack traceback" not in str(failures["typst"])
    assert "A dot" in (stage / OUT / "index.html").read_text(encoding="utf-8")
    assert (stage / OUT / "index.docx").is_file()
    assert not (stage / OUT / "index.pdf").exists()


def test_a_typ_the_run_does_not_write_is_written_by_a_run_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Translations in the user data folder: the Typst writer of a sandboxed run reads pandoc's
    # own, pandoc.write in a filter would read these.
    root = small_project(tmp_path / "project")
    data = tmp_path / "data" / "pandoc" / "translations"
    data.mkdir(parents=True)
    (data / "en.yaml").write_text("Abstract: Changed\n", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")

    assert render(root, tmp_path / "paired", 2, monkeypatch) == {}
    assert render(root, tmp_path / "apart", 4, monkeypatch) == {}

    # The DOCX's writer reads translations too: both left to runs of their own.
    assert runs(tmp_path / "paired") == ["docx", "html5+typst+docx", "typst"]
    assert_same_files(tmp_path / "paired", tmp_path / "apart", {".html", ".docx", ".pdf"})


def test_a_style_typst_cannot_read_gives_the_pdf_by_citeproc_after_the_shared_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # survey-weights' CSL style has an element Typst refuses: its compile of the shared run's
    # .typ fails, and the PDF comes from a run of its own with pandoc's citeproc, as with a run
    # each.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = tmp_path / "survey-weights"
    shutil.copytree(CORPUS / "survey-weights", root)
    compiled: list[str] = []
    compile_pdf: Callable[..., None] = typst_run.compile_pdf

    def counted(*args: object) -> None:
        compiled.append(str(args[2]))
        compile_pdf(*args)

    monkeypatch.setattr(typst_run, "compile_pdf", counted)

    assert render(root, tmp_path / "paired", 2, monkeypatch) == {}
    paired_warnings = capsys.readouterr().err
    assert render(root, tmp_path / "apart", 4, monkeypatch) == {}

    assert runs(tmp_path / "paired") == ["html5+typst+docx", "typst"]
    assert len(compiled) == 4  # each render's: Typst's own citations, then citeproc's
    assert "Typst cannot read this CSL style" in paired_warnings
    assert capsys.readouterr().err == paired_warnings
    assert_same_files(tmp_path / "paired", tmp_path / "apart", {".html", ".docx", ".pdf"})
