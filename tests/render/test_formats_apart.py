"""Each format stands on its own (issue 20, item 4): a format that fails keeps its previous
output and is named with its cause, the formats that rendered are written, the exit status is 1.
With the embedded engine and with Quarto (the stand-in, tests/render/quarto_standin.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.conftest import galley
from tests.render.quarto_standin import install
from tests.render.test_atomic_outputs import snapshot
from tests.render.test_crossrefs import make_project
from tests.render.test_quarto_engine import galley_build, render_calls

OUT = Path("_manuscript/doc")
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>\n'
FIRST = '# One\n\nFirst version [@known2020].\n\n![A box](box.svg){fig-alt="A black box"}\n'
# Raw Typst that Typst rejects: only the PDF fails; the HTML and DOCX leave it out.
SECOND = FIRST.replace("First", "Second") + "\n```{=typst}\n#nothere\n```\n"


def project(root: Path) -> Path:
    make_project(root, FIRST)
    (root / "doc" / "box.svg").write_text(SVG, encoding="utf-8")
    return root


def edit(root: Path) -> None:
    (root / "doc" / "index.qmd").write_text("---\ntitle: T\n---\n\n" + SECOND, encoding="utf-8")


def docx_text(root: Path) -> str:
    with zipfile.ZipFile(root / OUT / "index.docx") as docx:
        return docx.read("word/document.xml").decode("utf-8")


def test_a_failing_pdf_keeps_its_previous_pdf_and_the_other_formats_are_written(
    tmp_path: Path,
) -> None:
    root = project(tmp_path / "project")
    assert galley("build", cwd=root).returncode == 0
    pdf = (root / OUT / "index.pdf").read_bytes()
    (root / OUT / "box.svg").unlink()  # the HTML's image, copied again by the next build
    edit(root)

    result = galley("build", cwd=root)

    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[1] == (
        "galley: error: typst: doc/index.qmd:12: Typst failed compiling the PDF: unknown "
        "variable: nothere; this line is raw Typst (a ```{=typst} block): correct it for Typst "
        + _typst_version()
    )
    assert lines[-1].startswith(
        "galley: 1 of 3 formats failed (typst: _manuscript/doc/index.pdf kept from an earlier "
        "build); done in "
    )
    assert "Second version" in (root / OUT / "index.html").read_text(encoding="utf-8")
    assert "Second version" in docx_text(root)
    assert (root / OUT / "box.svg").read_text(encoding="utf-8") == SVG
    assert (root / OUT / "index.pdf").read_bytes() == pdf
    assert list((root / ".galley" / "tmp").iterdir()) == []

    # Only the formats written are recorded as rendered: the next build tries the PDF alone.
    again = galley("build", cwd=root)
    assert again.stderr.splitlines()[0].startswith("galley: rendering typst (the normal edition)")
    assert again.returncode == 1


def test_a_failing_pdf_with_no_earlier_one_says_none_was_written(tmp_path: Path) -> None:
    root = project(tmp_path / "project")
    edit(root)

    result = galley("build", cwd=root)

    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith(
        "galley: 1 of 3 formats failed (typst: no output written); done in "
    )
    assert sorted(p.name for p in (root / OUT).iterdir()) == ["box.svg", "index.docx", "index.html"]


def test_one_slip_every_format_trips_on_is_one_error_and_replaces_nothing(tmp_path: Path) -> None:
    root = project(tmp_path / "project")
    assert galley("build", cwd=root).returncode == 0
    before = snapshot(root / "_manuscript")
    article = root / "doc" / "index.qmd"
    article.write_text(
        article.read_text() + '\n::: {layout-ncol="x"}\nA\n\nB\n:::\n', encoding="utf-8"
    )

    result = galley("build", cwd=root)

    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if "error" in line] == [
        'galley: error: doc/index.qmd:11: layout-ncol="x" is not a whole number of at least 1; '
        "write e.g. layout-ncol=2"
    ]
    assert snapshot(root / "_manuscript") == before


def test_with_quarto_a_failing_pdf_keeps_its_previous_pdf_and_the_others_are_written(
    tmp_path: Path,
) -> None:
    bin_dir = tmp_path / "bin"
    install(bin_dir)
    root = project(tmp_path / "project")
    assert galley_build(root, bin_dir).returncode == 0
    pdf = (root / OUT / "index.pdf").read_bytes()
    edit(root)

    result = galley_build(root, bin_dir)

    assert result.returncode == 1
    # Warnings Quarto printed (an SVG pandoc cannot convert for the DOCX) come as galley's.
    lines = [line for line in result.stderr.splitlines() if "galley: warning:" not in line]
    assert lines[1].startswith("galley: error: typst: quarto render --to typst failed (exit 1): ")
    assert lines[2] == "ERROR: unknown variable: nothere"  # Quarto's own message, its tail
    assert lines[-1].startswith(
        "galley: 1 of 3 formats failed (typst: _manuscript/doc/index.pdf kept from an earlier "
        "build); done in "
    )
    # One render of every format, then, as it failed, one per format to learn which.
    assert render_calls(root)[1:] == [
        "render",
        "render --to html",
        "render --to typst",
        "render --to docx",
    ]
    assert "Second version" in (root / OUT / "index.html").read_text(encoding="utf-8")
    assert "Second version" in docx_text(root)
    assert (root / OUT / "index.pdf").read_bytes() == pdf


def _typst_version() -> str:
    from importlib.metadata import version

    return version("typst")
