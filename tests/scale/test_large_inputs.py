"""Large inputs build: a 300 KB inline `data:` image in an article whose figures come from steps,
and the generated manuscript of benchmarks/bench_scale.py (so that the benchmark cannot rot).
An inline image no format can show is refused with its file and line, never a Typst error."""

from __future__ import annotations

import base64
import re
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import REPO, galley
from tests.hardening.conftest import make_project, run
from tests.hardening.test_boundaries import ALL_FORMATS, PNG

sys.path.insert(0, str(REPO / "benchmarks"))
from scale_manuscript import generate  # noqa: E402

DRAW_STEP = (
    "import os, pathlib, shutil\n"
    "out = pathlib.Path(os.environ['GALLEY_OUTPUT_ROOT'], 'figures')\n"
    "out.mkdir(parents=True, exist_ok=True)\n"
    "shutil.copy('dot.png', out / 'dot.png')\n"
)
STEP_TOML = """\
[tool.galley.steps.dot]
script = "scripts/dot.py"
inputs = ["dot.png"]
outputs = ["figures/dot.png"]
"""


def _padded_png(size: int) -> bytes:
    """A valid PNG of about `size` bytes: a 1x1 image with an ancillary text chunk."""
    text = b"comment\0" + b"x" * size
    chunk = len(text).to_bytes(4, "big") + b"tEXt" + text
    chunk += zlib.crc32(b"tEXt" + text).to_bytes(4, "big")
    return PNG[:33] + chunk + PNG[33:]


def _pdf_images(path: Path) -> int:
    return sum(len(page.images) for page in PdfReader(path).pages)


def test_a_300_kb_data_image_beside_figures_from_steps_renders_in_every_format(
    tmp_path: Path,
) -> None:
    # The source-note pass matches figure ids in the text, where a long URI without an id once
    # took minutes; the figure from a step keeps its source note.
    uri = "data:image/png;base64," + base64.b64encode(_padded_png(300_000)).decode()
    article = (
        "---\ntitle: T\n---\n\n"
        '![A dot from a step](figures/dot.png){#fig-dot fig-alt="A dot"}\n\n'
        f"![An inline dot]({uri})\n\nText [@a].\n"
    )
    files = {"_quarto.yml": ALL_FORMATS, "index.qmd": article, "pyproject.toml": STEP_TOML}
    root = make_project(tmp_path / "project", {**files, "scripts/dot.py": DRAW_STEP})
    (root / "dot.png").write_bytes(PNG)
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    out = root / "_manuscript"
    html = (out / "index.html").read_text(encoding="utf-8")
    assert uri in html
    assert "galley-source-note" in html
    media = [n for n in zipfile.ZipFile(out / "index.docx").namelist() if "/media/" in n]
    assert len(media) == 2
    assert _pdf_images(out / "index.pdf") == 2


@pytest.mark.parametrize(
    ("uri", "reason"),
    [
        (
            "data:image/bmp;base64," + base64.b64encode(b"BM" + b"\0" * 60).decode(),
            "is a `data:` image of type `image/bmp`, which the PDF and DOCX cannot show",
        ),
        (
            "data:image/png;base64," + base64.b64encode(b"not a picture").decode(),
            "is a `data:` image whose bytes are not PNG",
        ),
        ("data:image/png;base64,AAA", "is a `data:` image whose base64 text does not decode"),
    ],
    ids=["bmp", "not-png", "bad-base64"],
)
def test_a_data_image_some_format_cannot_show_is_refused_with_its_line(
    tmp_path: Path, uri: str, reason: str
) -> None:
    article = f"---\ntitle: T\n---\n\nText [@a].\n\n![A picture]({uri})\n"
    root = make_project(tmp_path / "project", {"_quarto.yml": ALL_FORMATS, "index.qmd": article})
    result = run("build", cwd=root)
    assert result.returncode == 1
    shown = uri if len(uri) <= 40 else uri[:40] + "…"
    assert result.stderr.splitlines()[-1] == (
        f"galley: error: index.qmd:7: image `{shown}` {reason}; convert it to PNG, JPEG, GIF, "
        "WebP or SVG, or save it as a file in the project and link that"
    )
    assert not (root / "_manuscript").exists()


@pytest.mark.slow
def test_the_scale_benchmarks_manuscript_builds_and_checks_at_twice_the_article(
    tmp_path: Path,
) -> None:
    root = generate(tmp_path / "x2", 2)
    result = galley("build", cwd=root)
    assert result.returncode == 0, result.stderr
    html = (root / "_manuscript" / "manuscript" / "index.html").read_text(encoding="utf-8")
    # The copy's own figures (made by its steps), sections and references, each resolved.
    assert (root / "figures" / "scale" / "milestones-2.png").is_file()
    assert 'src="../figures/scale/milestones-2.png"' in html
    assert 'href="#fig-milestones-c2"' in html
    assert 'href="#sec-results-c2"' in html
    assert len(re.findall(r'<div id="ref-[^"]+-c2"', html)) == 22
    assert len(re.findall(r'<div id="ref-', html)) == 44
    check = galley("check", "--offline", cwd=root)
    assert check.returncode == 0, check.stdout + check.stderr
