"""The HTML and the DOCX written by one pandoc run (galley.engines.format_pair) on a machine with
fewer cores than formats: the oracle is the same render with a run per format (more cores), which
must give every output byte for byte and the same warnings. The DOCX is written inside the run
only when its writer reads nothing `--sandbox` withholds: an image outside the project or on a
web server leaves it to a run of its own. And each format still stands on its own when the
other fails in the shared run. Real pandoc, real Typst, a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from galley.engines.format_pair import SHARED_RUN_CHARACTERS
from galley.engines.options import Failures, RenderOptions
from galley.engines.pandoc import PandocEngine
from galley.errors import ToolError
from galley.project import load_project
from galley.reading.local_files import local_files
from galley.reading.pandoc_reading import read_article
from galley.reading.sources import load_source
from galley.steps.notes import element_notes
from galley.util.tools import pandoc_path
from tests.conftest import galley, loopback_server
from tests.render.test_crossrefs import make_project
from tests.render.test_policies import _png

CORPUS = Path(__file__).parents[1] / "corpus"
OUT = Path("doc")
BOTH = ["html", "docx"]


@pytest.fixture(autouse=True)
def pandoc_found_again() -> Iterator[None]:
    """pandoc_path keeps its answer: found again with the logging wrapper, and after it."""
    pandoc_path.cache_clear()
    yield
    pandoc_path.cache_clear()


def render(
    root: Path,
    stage: Path,
    cores: int,
    monkeypatch: pytest.MonkeyPatch,
    formats: list[str] | None = None,
) -> Failures:
    """The formats (all three unless `formats`) rendered as a machine with `cores` cores renders
    them; the formats that failed. Each pandoc run is logged, with the formats its GALLEY_SECOND
    names, by a wrapper that runs the real pandoc, in `stage`'s sibling `runs.log`."""
    log = stage.parent / f"{stage.name}-runs.log"
    wrapper = stage.parent / f"{stage.name}-pandoc"
    monkeypatch.delenv("PYPANDOC_PANDOC", raising=False)
    pandoc_path.cache_clear()
    others = """[ -n "$GALLEY_SECOND" ] && grep -o '"format": "[a-z]*"' "$GALLEY_SECOND" | cut -d'"' -f4"""
    wrapper.write_text(
        f"#!/bin/sh\nothers=$({others} | tr '\\n' +)\n"
        f'echo "second=$others $*" >> {log}\nexec {pandoc_path()} "$@"\n'
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("PYPANDOC_PANDOC", str(wrapper))
    pandoc_path.cache_clear()
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    project = load_project(root)
    source = load_source(project)
    reading = read_article(project, source)
    options = RenderOptions(
        formats=formats or ["html", "docx", "typst"],
        source=source,
        source_notes=element_notes(project, source),
        local_files=local_files(project, source, reading),
        reading=reading,
    )
    stage.mkdir(exist_ok=True)
    return PandocEngine().render(project, options, stage)


def files(stage: Path) -> dict[str, bytes]:
    return {str(p.relative_to(stage)): p.read_bytes() for p in stage.rglob("*") if p.is_file()}


def runs(stage: Path) -> list[str]:
    """The writers of the pandoc runs that applied galley's filters (the PDF's: `typst`, or
    `typst-citations` with pandoc's citeproc), each followed by the formats the run wrote
    before its own: `html5+typst+docx` for a run that writes all three."""
    lines = (stage.parent / f"{stage.name}-runs.log").read_text().splitlines()
    writers = []
    for line in lines:
        if "--lua-filter" in line:
            writer = line.split(" -t ")[1].split()[0].split("-")[0]
            others = line.split(" ", 1)[0].removeprefix("second=").split("+")
            writers.append("+".join([writer, *filter(None, others)]))
    return sorted(writers)


def assert_same_files(paired: Path, apart: Path, suffixes: set[str]) -> None:
    written, each = files(paired), files(apart)
    assert sorted(written) == sorted(each)
    assert suffixes <= {Path(name).suffix for name in written}
    for name, content in written.items():
        assert content == each[name], name


@pytest.mark.parametrize("paragraphs", [10, 200])
def test_one_run_writes_the_formats_only_for_an_articles_length(
    paragraphs: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Past SHARED_RUN_CHARACTERS a shared run costs more than it saves: each format then has a
    # run of its own.
    sentence = "A sentence of the article that goes on for a while, as sentences do. "
    body = "".join(f"Paragraph {n}. {sentence * 3}\n\n" for n in range(paragraphs))
    assert (len(body) > SHARED_RUN_CHARACTERS) == (paragraphs == 200)
    root = make_project(tmp_path / "project", body)
    assert galley("build", "--to", "html", cwd=root).returncode == 0  # its style made ready
    assert not render(root, tmp_path / "stage", 1, monkeypatch)
    shared = ["html5+typst+docx"] if paragraphs == 10 else ["docx", "html5", "typst"]
    assert runs(tmp_path / "stage") == shared


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

    assert runs(tmp_path / "paired") == ["html5+typst+docx"]
    assert runs(tmp_path / "apart") == ["docx", "html5", "typst"]
    assert_same_files(tmp_path / "paired", tmp_path / "apart", {".html", ".docx", ".pdf"})


# A local image, one as a `data:` URI, an unresolved reference (a warning from each run) and a
# tracked insertion without an author (the DOCX writer's author then comes from USERNAME, which
# the sandboxed writer does not see).
DATA_URI = "data:image/png;base64," + base64.b64encode(_png()).decode("ascii")
IMAGES = (
    "# One\n\n![A dot](dot.png){{#fig-dot}}\n\n![Inline]({data})\n\n![Elsewhere]({src})\n\n"
    "See @fig-dot and @fig-nowhere. [Added]{{.insertion}}\n"
)


def image_project(root: Path, src: str, abstract: str = "") -> Path:
    """The images' article, with `abstract` in its front matter, built once (for its style,
    fetched by the build)."""
    make_project(root, IMAGES.format(data=DATA_URI, src=src))
    if abstract:
        article = root / "doc" / "index.qmd"
        front = f"---\ntitle: T\nabstract: '{abstract}'\n---\n"
        article.write_text(article.read_text().replace("---\ntitle: T\n---\n", front))
    (root / "doc" / "dot.png").write_bytes(_png())
    assert galley("build", "--to", "html", cwd=root).returncode == 0
    return root


def media(docx: Path) -> list[str]:
    with zipfile.ZipFile(docx) as archive:
        return [name for name in archive.namelist() if name.startswith("word/media/")]


def test_images_in_the_media_bag_or_data_uris_are_written_by_the_shared_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = image_project(tmp_path / "project", "dot.png")
    monkeypatch.setenv("USERNAME", "someone")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")

    assert render(root, tmp_path / "paired", 1, monkeypatch, BOTH) == {}
    paired_warnings = capsys.readouterr().err
    assert render(root, tmp_path / "apart", 2, monkeypatch, BOTH) == {}

    assert runs(tmp_path / "paired") == ["html5+docx"]
    assert runs(tmp_path / "apart") == ["docx", "html5"]
    assert_same_files(tmp_path / "paired", tmp_path / "apart", {".html", ".docx"})
    assert len(media(tmp_path / "paired" / OUT / "index.docx")) == 2  # the file, the data URI
    with zipfile.ZipFile(tmp_path / "paired" / OUT / "index.docx") as docx:
        assert 'w:author="unknown"' in docx.read("word/document.xml").decode("utf-8")
        assert "1970-01-01" in docx.read("docProps/core.xml").decode("utf-8")
    assert paired_warnings.count("[undefined-crossref]") == 2  # each format's, outside a build
    assert capsys.readouterr().err == paired_warnings


class Recorded(BaseHTTPRequestHandler):
    """Serves a PNG for any path, and keeps the paths asked for."""

    asked: list[str] = []

    def do_GET(self) -> None:
        Recorded.asked.append(self.path)
        body = _png()
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Recorded.asked = []
    with loopback_server(Recorded) as address:
        yield address


@pytest.mark.parametrize("where", ["remote", "remote, in the abstract", "outside the project"])
def test_an_image_the_sandbox_withholds_leaves_the_docx_to_a_run_of_its_own(
    where: str,
    server: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "outside.png").write_bytes(_png())
    src = f"{server}/remote.png" if where == "remote" else "../../outside.png"
    abstract = f"An ![image]({server}/abstract.png) here." if "abstract" in where else ""
    root = image_project(tmp_path / "project", "dot.png" if abstract else src, abstract)

    assert render(root, tmp_path / "paired", 1, monkeypatch, BOTH) == {}
    paired_warnings = capsys.readouterr().err
    assert render(root, tmp_path / "apart", 2, monkeypatch, BOTH) == {}

    # Nothing fetched, nothing read outside the project: the shared run found the image
    # withheld and wrote no DOCX; the DOCX's own run wrote it without the image, as a run each.
    assert Recorded.asked == []
    assert len(media(tmp_path / "paired" / OUT / "index.docx")) == 2  # not the withheld one
    assert runs(tmp_path / "paired") == ["docx", "html5+docx"]
    assert_same_files(tmp_path / "paired", tmp_path / "apart", {".html", ".docx"})
    # Each format's warnings (outside a build, each run's are printed), as with a run each.
    assert paired_warnings.count("[undefined-crossref]") == 2
    assert capsys.readouterr().err == paired_warnings


def test_a_reference_docx_in_the_user_data_folder_leaves_the_docx_to_a_run_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pandoc's own reference.docx with another font for code: the sandboxed writer never reads
    # the user data folder ($XDG_DATA_HOME/pandoc), pandoc.write in a filter would.
    root = image_project(tmp_path / "project", "dot.png")
    data = tmp_path / "data" / "pandoc"
    data.mkdir(parents=True)
    default = subprocess.run(
        [pandoc_path(), "--print-default-data-file", "reference.docx"],
        capture_output=True,
        check=True,
    ).stdout
    with (
        zipfile.ZipFile(io.BytesIO(default)) as source,
        zipfile.ZipFile(data / "reference.docx", "w") as changed,
    ):
        for name in source.namelist():
            content = source.read(name)
            changed.writestr(name, content.replace(b"Consolas", b"Courier New"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    assert render(root, tmp_path / "paired", 1, monkeypatch, BOTH) == {}
    assert render(root, tmp_path / "apart", 2, monkeypatch, BOTH) == {}

    with zipfile.ZipFile(tmp_path / "paired" / OUT / "index.docx") as docx:
        assert b"Courier New" not in docx.read("word/styles.xml")
    assert runs(tmp_path / "paired") == ["docx", "html5+docx"]
    assert_same_files(tmp_path / "paired", tmp_path / "apart", {".html", ".docx"})


def test_citations_that_differ_by_format_are_each_formats_own_in_the_shared_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The shared run's chains keep the citations an earlier chain rendered (citations.lua), by
    # what was rendered: a citation the DOCX alone shows makes the DOCX's its own, and the HTML
    # takes the PDF's.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = tmp_path / "project"
    make_project(
        root,
        "# One\n\nBoth [@known2020].\n\n"
        '::: {.content-visible when-format="docx"}\nWord alone [@other2021].\n:::\n',
    )
    other = "@book{other2021, author = {Other, Olga}, title = {Another}, publisher = {P}, year = {2021}}\n"
    with (root / "refs.bib").open("a", encoding="utf-8") as bib:
        bib.write(other)
    assert galley("build", "--to", "html", cwd=root).returncode == 0  # its style made ready

    assert render(root, tmp_path / "paired", 2, monkeypatch) == {}
    assert render(root, tmp_path / "apart", 4, monkeypatch) == {}

    assert runs(tmp_path / "paired") == ["html5+typst+docx"]
    assert_same_files(tmp_path / "paired", tmp_path / "apart", {".html", ".docx", ".pdf"})
    with zipfile.ZipFile(tmp_path / "paired" / OUT / "index.docx") as docx:
        assert b"Another" in docx.read("word/document.xml")
    assert "Another" not in (tmp_path / "paired" / OUT / "index.html").read_text(encoding="utf-8")


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

    assert runs(stage) == ["html5+typst+docx"]
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

    assert runs(stage) == ["html5+typst+docx"]
    assert sorted(failures) == ["html"]
    assert str(failures["html"]).startswith(
        "pandoc failed rendering doc/index.qmd to html (exit 1):\n"
    )
    assert "index.html" in str(failures["html"])
    # The DOCX is written, and finished by galley (its reference list's hanging indent).
    shutil.unpack_archive(stage / OUT / "index.docx", tmp_path / "docx", "zip")
    document = (tmp_path / "docx" / "word" / "document.xml").read_text(encoding="utf-8")
    assert "Some text" in document
    assert "w:hanging" in (tmp_path / "docx" / "word" / "styles.xml").read_text(encoding="utf-8")
    assert (stage / OUT / "index.pdf").is_file()


def test_a_shared_run_that_dies_before_the_docx_is_written_is_run_again_a_format_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small_project(tmp_path / "project")
    stage = tmp_path / "stage"
    monkeypatch.setenv("GHCRTS", "-M4m")  # a heap pandoc cannot read the article in: it dies

    failures = render(root, stage, 2, monkeypatch)

    # The shared run, then a run each to learn which fails and why.
    assert runs(stage) == ["docx", "html5", "html5+typst+docx", "typst"]
    for fmt in ("html", "docx", "typst"):
        assert str(failures[fmt]).startswith(f"pandoc failed rendering doc/index.qmd to {fmt} ")
        assert "Heap exhausted" in str(failures[fmt])
