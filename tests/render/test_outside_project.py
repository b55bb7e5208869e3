"""A local file outside the project that the author references is a draft's slip, as Quarto
renders it (Quarto reads the file, or warns that it is missing): galley reads nothing outside the
project, so it renders the reference as a missing image, warns at the file and line where it is
written, and writes every output; `galley check` reports it and `galley build --strict` fails on
it. A path that the front matter or a step's output (data) puts in the article is refused still,
and so is every one with Quarto, which would read the file. One tiny project per case, real
pandoc and Typst."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pypdf

from tests.conftest import galley
from tests.render.quarto_standin import install
from tests.render.test_crossrefs import make_project
from tests.render.test_policies import _png
from tests.render.test_quarto_engine import galley_build, render_calls

OUT = Path("_manuscript/doc")
FIGURE = '# One\n\n![An elephant]({src}){{#fig-elephant fig-alt="A grey elephant"}}\n\nSee @fig-elephant.\n'
WARNING = (
    "galley: warning: doc/{file}:{line}: image `{src}` lies outside the project, so galley does "
    "not read it and it renders as a missing image; copy it into the project [outside-project]"
)


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("galley: warning:")]


def _shows_the_figure_without_its_image(root: Path) -> None:
    """Every format keeps the figure's caption and number, and the reference to it, but no
    image: the HTML keeps the path as written (the reader sees the description)."""
    html = (root / OUT / "index.html").read_text(encoding="utf-8")
    assert 'alt="A grey elephant"' in html
    assert "Figure&nbsp;1: An elephant" in html
    with zipfile.ZipFile(root / OUT / "index.docx") as docx:
        assert not [name for name in docx.namelist() if name.startswith("word/media/")]
        xml = docx.read("word/document.xml").decode("utf-8")
    assert "Figure\u00a01" in xml
    pdf = pypdf.PdfReader(root / OUT / "index.pdf").pages[0]
    assert len(pdf.images) == 0
    text = " ".join(pdf.extract_text().split())
    assert "Figure 1: An elephant" in text
    assert "See Figure 1." in text


def test_an_existing_image_outside_the_project_is_not_read_and_renders_as_missing(
    tmp_path: Path,
) -> None:
    (tmp_path / "outside.png").write_bytes(_png())
    root = make_project(tmp_path / "project", FIGURE.format(src="../../outside.png"))
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    assert _warnings(built.stderr) == [
        WARNING.format(file="index.qmd", line=7, src="../../outside.png")
    ]
    _shows_the_figure_without_its_image(root)
    copies = [p for p in root.rglob("*") if p.is_file() and p.read_bytes() == _png()]
    assert copies == []


def test_a_missing_image_outside_the_project_renders_its_figure_with_caption_and_number(
    tmp_path: Path,
) -> None:
    # Quarto's smoke test crossrefs/float/docx/docx-float-5.qmd: `../img/thinker.jpg` exists
    # nowhere.
    root = make_project(tmp_path / "project", FIGURE.format(src="../../img/thinker.jpg"))
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    assert _warnings(built.stderr) == [
        WARNING.format(file="index.qmd", line=7, src="../../img/thinker.jpg")
    ]
    _shows_the_figure_without_its_image(root)


def test_an_image_outside_the_project_fails_check_and_a_strict_build(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", FIGURE.format(src="../../outside.png"))
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 0, built.stderr
    page = (root / OUT / "index.html").read_bytes()
    # Nothing to render: the draft's warning is said again, and --strict fails on it.
    strict = galley("build", "--to", "html", "--strict", cwd=root)
    assert strict.returncode == 1
    assert strict.stderr.splitlines()[0] == WARNING.format(
        file="index.qmd", line=7, src="../../outside.png"
    )
    assert strict.stderr.splitlines()[-1].startswith("galley: error: --strict: the build printed")
    assert (root / OUT / "index.html").read_bytes() == page
    checked = galley("check", "--offline", cwd=root)
    assert checked.returncode == 1
    assert (
        "doc/index.qmd:7: error: `../../outside.png` lies outside the project: an output would "
        "reference or embed it [outside-project]"
    ) in checked.stdout


def test_an_image_outside_the_project_in_an_included_file_is_warned_at_its_own_line(
    tmp_path: Path,
) -> None:
    included = (
        'Text.\n\n![An elephant](../../outside.png){#fig-elephant fig-alt="A grey elephant"}\n'
    )
    root = make_project(tmp_path / "project", "{{< include part.qmd >}}\n", include=included)
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 0, built.stderr
    assert _warnings(built.stderr) == [
        WARNING.format(file="part.qmd", line=3, src="../../outside.png")
    ]


def test_an_image_outside_the_project_in_the_front_matter_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", "Text.\n")
    article = root / "doc" / "index.qmd"
    article.write_text(
        '---\ntitle: T\nabstract: "A photo: ![x](../../outside.png)"\n---\n\nText.\n',
        encoding="utf-8",
    )
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 1
    assert built.stderr.splitlines()[-1] == (
        "galley: error: doc/index.qmd: image `../../outside.png` lies outside the project; copy "
        "it into the project"
    )
    assert not (root / "_manuscript").exists()


STEP = """\
[tool.galley.steps.table]
script = "table.py"
outputs = ["doc/made.md"]
"""
TABLE_SCRIPT = """\
import os, pathlib
out = pathlib.Path(os.environ["GALLEY_OUTPUT_ROOT"], "doc")
out.mkdir(parents=True, exist_ok=True)
(out / "made.md").write_text("![from data](../../outside.png)\\n", "utf-8")
"""


def test_an_image_outside_the_project_that_a_step_writes_is_refused(tmp_path: Path) -> None:
    (tmp_path / "outside.png").write_bytes(_png())
    root = make_project(tmp_path / "project", "Text.\n\n{{< include made.md >}}\n")
    (root / "pyproject.toml").write_text(STEP, encoding="utf-8")
    (root / "table.py").write_text(TABLE_SCRIPT, encoding="utf-8")
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 1
    assert built.stderr.splitlines()[-1] == (
        "galley: error: doc/made.md:1: image `../../outside.png` lies outside the project; copy "
        "it into the project"
    )
    assert not (root / "_manuscript").exists()


def test_with_quarto_an_image_outside_the_project_is_refused(tmp_path: Path) -> None:
    # Quarto would read the file itself (an absolute path, a link leading out of its copy of
    # the project), so with it galley keeps refusing; Quarto is never called.
    install(tmp_path / "bin")
    root = make_project(tmp_path / "project", FIGURE.format(src="../../outside.png"))
    built = galley_build(root, tmp_path / "bin")
    assert built.returncode == 1
    assert built.stderr.splitlines()[-1] == (
        "galley: error: doc/index.qmd:7: image `../../outside.png` lies outside the project, "
        "where Quarto would read it; copy it into the project"
    )
    assert render_calls(root) == []
