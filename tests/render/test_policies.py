"""What a build renders anyway, as Quarto does, and says once: a missing image (a warning; the
check's `missing-file` error), a PDF that Typst cannot make PDF/UA-1 (a plain PDF and one
warning). A rule disabled in `[tool.galley.check]` is neither warned about nor reported."""

from __future__ import annotations

import base64
import struct
import zipfile
import zlib
from importlib.metadata import version
from pathlib import Path

import pypdf

from tests.conftest import galley
from tests.render.test_crossrefs import make_project

OUT = Path("_manuscript/doc")


def _xmp(pdf: Path) -> str:
    root = pypdf.PdfReader(pdf).trailer["/Root"]
    return (
        str(root["/Metadata"].get_object().get_data().decode("utf-8"))
        if "/Metadata" in root
        else ""
    )


def test_a_missing_image_is_a_warning_and_every_format_still_renders(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        '# One\n\n![A chart](chart.png){#fig-chart fig-alt="A bar chart"}\n\nSee @fig-chart.\n',
    )
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    assert (
        "galley: warning: doc/index.qmd:7: image `chart.png` does not exist; add the file or fix "
        "the path (relative to the article) [missing-file]\n"
    ) in built.stderr
    assert sorted(p.name for p in (root / OUT).iterdir()) == [
        "index.docx",
        "index.html",
        "index.pdf",
    ]
    assert "A bar chart" in (root / OUT / "index.html").read_text(encoding="utf-8")
    assert "A chart" in pypdf.PdfReader(root / OUT / "index.pdf").pages[0].extract_text()
    checked = galley("check", "--offline", cwd=root)
    assert checked.returncode == 1
    assert "doc/index.qmd:7: error: link target `chart.png` does not exist [missing-file]" in (
        checked.stdout
    )


def _png() -> bytes:
    """A valid 1×1 black PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_an_inline_data_image_reaches_the_pdf(tmp_path: Path) -> None:
    png = base64.b64encode(_png()).decode("ascii")
    root = make_project(
        tmp_path, f'# One\n\n![A dot](data:image/png;base64,{png}){{#fig-dot fig-alt="A dot"}}\n'
    )
    built = galley("build", "--to", "typst", cwd=root)
    assert built.returncode == 0, built.stderr
    images = pypdf.PdfReader(root / OUT / "index.pdf").pages[0].images
    assert [image.image.size for image in images] == [(1, 1)]


def test_a_linked_image_outside_the_project_is_warned_about_and_not_read(tmp_path: Path) -> None:
    # Any image outside the project: tests/render/test_outside_project.py.
    (tmp_path / "secret.png").write_bytes(_png())
    body = '# One\n\n[![A secret](../../secret.png){fig-alt="A dot"}](https://example.org/)\n'
    root = make_project(tmp_path / "project", body)
    built = galley("build", "--to", "docx", cwd=root)
    assert built.returncode == 0, built.stderr
    assert built.stderr.splitlines()[1] == (
        "galley: warning: doc/index.qmd:7: image `../../secret.png` lies outside the project, so "
        "galley does not read it and it renders as a missing image; copy it into the project "
        "[outside-project]"
    )
    with zipfile.ZipFile(root / OUT / "index.docx") as docx:
        assert not [name for name in docx.namelist() if name.startswith("word/media/")]


def test_a_disabled_rule_is_neither_warned_about_nor_reported(tmp_path: Path) -> None:
    root = make_project(tmp_path, "# One\n\n### Three [@known2020]\n\n![](dot.svg)\n")
    (root / "doc" / "dot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>', encoding="utf-8"
    )
    (root / "pyproject.toml").write_text(
        '[tool.galley.check]\ndisable = ["missing-alt-text", "skipped-heading-level"]\n',
        encoding="utf-8",
    )
    checked = galley("check", "--offline", cwd=root)
    assert (checked.returncode, checked.stdout) == (0, "galley check: no problems found\n")
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 0, built.stderr
    assert "warning" not in built.stderr


def test_a_pdf_typst_cannot_make_pdf_ua_is_written_plain_with_one_warning_at_its_line(
    tmp_path: Path,
) -> None:
    # Math, headings and figures get what PDF/UA-1 asks of them (test_pdf_ua.py); an image the
    # author placed in raw Typst without alt text is what Typst still refuses.
    root = make_project(tmp_path, '# One\n\n```{=typst}\n#image("/doc/dot.svg")\n```\n')
    (root / "doc" / "dot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>', encoding="utf-8"
    )
    built = galley("build", "--to", "typst", cwd=root)
    assert built.returncode == 0, built.stderr
    warnings = [line for line in built.stderr.splitlines() if "warning" in line]
    assert warnings == [
        "galley: warning: doc/index.qmd:8: the PDF is not PDF/UA-1 (tagged for accessibility), "
        "since Typst refused it: missing alt text"
    ]
    assert "pdfuaid" not in _xmp(root / OUT / "index.pdf")


def test_a_typst_error_that_is_not_about_pdf_ua_still_fails(tmp_path: Path) -> None:
    root = make_project(tmp_path, "# One\n\n```{=typst}\n#no-such-function()\n```\n")
    built = galley("build", "--to", "typst", cwd=root)
    assert built.returncode == 1
    # Traced to the raw Typst line that failed, with Typst's own hint.
    assert built.stderr.splitlines()[-1] == (
        "galley: error: doc/index.qmd:8: Typst failed compiling the PDF: unknown variable: "
        "no-such-function (Typst: if you meant to use subtraction, try adding spaces around the "
        "minus signs: `no - such - function`); this line is raw Typst (a ```{=typst} block): "
        f"correct it for Typst {version('typst')}"
    )
    assert "PDF/UA" not in built.stderr
