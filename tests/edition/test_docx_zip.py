"""The DOCX's finishing copies the parts it keeps as pandoc compressed them: the archive must be
byte for byte what `zipfile` writes when it inflates and deflates every part again."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from galley.engines.docx_zip import rewrite_zip
from galley.util.tools import pandoc_path

FIGURE = Path(__file__).parents[1] / "corpus" / "soil-microbiome" / "figures" / "biomass.png"


def zipfile_rewrite(path: Path, replacements: dict[str, bytes]) -> bytes:
    """What the finishing wrote before: every member through zipfile, deflated again."""
    out = path.with_name("by-zipfile.zip")
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, replacements.get(info.filename, old.read(info)))
        dated = old.infolist()[0].date_time
        for name in sorted(set(replacements) - set(old.namelist())):
            new.writestr(zipfile.ZipInfo(name, date_time=dated), replacements[name])
    return out.read_bytes()


@pytest.fixture
def pandoc_docx(tmp_path: Path) -> Path:
    """A DOCX as pandoc writes it, with a figure (a member that is mostly incompressible)."""
    shutil.copy(FIGURE, tmp_path / "figure.png")
    subprocess.run(
        [pandoc_path(), "-o", "article.docx", "-f", "markdown"],
        input="# Results\n\nSome *text*.\n\n![A figure](figure.png)\n",
        text=True,
        cwd=tmp_path,
        check=True,
    )
    return tmp_path / "article.docx"


def test_a_finished_docx_is_byte_for_byte_what_zipfile_writes(pandoc_docx: Path) -> None:
    with zipfile.ZipFile(pandoc_docx) as docx:
        document = docx.read("word/document.xml").replace(b"Some", b"Some more")
    replacements = {
        "word/document.xml": document,
        "word/header1.xml": b"<w:hdr>r\xc3\xa9sum\xc3\xa9</w:hdr>",  # a part pandoc has not
        "word/footer1.xml": b"<w:ftr/>",
    }
    expected = zipfile_rewrite(pandoc_docx, replacements)

    rewrite_zip(pandoc_docx, replacements)

    assert pandoc_docx.read_bytes() == expected
    with zipfile.ZipFile(pandoc_docx) as docx:
        assert docx.testzip() is None
        assert docx.read("word/document.xml") == document
        assert docx.namelist()[-2:] == ["word/footer1.xml", "word/header1.xml"]


def test_a_member_compressed_otherwise_is_written_by_zipfile(tmp_path: Path) -> None:
    archive = tmp_path / "odd.docx"
    with zipfile.ZipFile(archive, "w") as odd:
        odd.writestr("word/document.xml", b"<w:document/>" * 50, zipfile.ZIP_DEFLATED)
        odd.writestr("word/media/image1.bin", bytes(range(256)) * 20, zipfile.ZIP_BZIP2)
    replacements = {"word/document.xml": b"<w:document>new</w:document>"}
    expected = zipfile_rewrite(archive, replacements)

    rewrite_zip(archive, replacements)

    assert archive.read_bytes() == expected
    with zipfile.ZipFile(archive) as docx:
        assert docx.testzip() is None
