"""Accessibility: a figure without alt text or a heading that skips a level is a warning of the
build and an error of `galley check`, with the file and line; the HTML declares its language; the PDF is tagged PDF/UA-1 with the alt text."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pypdf

Galley = Callable[..., subprocess.CompletedProcess[str]]
ALT = " fig-alt=\"Timeline from 1997 to 2024 marking Indonesia's ratification of the 1988 UN drug"


def edit(path: Path, old: str, new: str) -> int:
    """Replace `old` (once) and return the 1-based line where it stood."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_a_figure_without_alt_text_is_a_build_warning_and_a_check_error(
    project_copy: Path, run_galley: Galley
) -> None:
    article = project_copy / "manuscript" / "index.qmd"
    text = article.read_text(encoding="utf-8")
    start = text.index(ALT)
    end = text.index('"}', start) + 1
    line = edit(article, text[start:end], "")
    built = run_galley("build", "--to", "html", cwd=project_copy)
    assert built.returncode == 0, built.stderr
    assert (
        f"galley: warning: manuscript/index.qmd:{line}: figure `fig-milestones` has no alt "
        'text; add fig-alt="..." to its attributes, saying what the image shows for readers '
        "who cannot see it [missing-alt-text]\n"
    ) in built.stderr
    assert (project_copy / "_manuscript" / "manuscript" / "index.html").is_file()
    checked = run_galley("check", "--offline", cwd=project_copy)
    assert checked.returncode == 1
    assert (
        f"  manuscript/index.qmd:{line}: error: figure `fig-milestones` has no alt text "
        "[missing-alt-text]\n"
    ) in checked.stdout


def test_a_heading_that_skips_a_level_is_a_build_warning_and_a_check_error(
    project_copy: Path, run_galley: Galley
) -> None:
    article = project_copy / "manuscript" / "index.qmd"
    line = edit(article, "# Methods {#sec-methods}", "### Methods {#sec-methods}")
    built = run_galley("build", "--to", "html", cwd=project_copy)
    assert built.returncode == 0, built.stderr
    assert (
        f"galley: warning: manuscript/index.qmd:{line}: heading level 3 follows level 1, "
        "skipping a level; use ## here, or add the missing heading above "
        "[skipped-heading-level]\n"
    ) in built.stderr
    checked = run_galley("check", "--offline", cwd=project_copy)
    assert checked.returncode == 1
    assert f"  manuscript/index.qmd:{line}: error: heading level 3 follows level 1" in (
        checked.stdout
    )


def test_the_html_declares_its_language(built_project: Path) -> None:
    html = (built_project / "_manuscript" / "manuscript" / "index.html").read_text("utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')


def test_the_pdf_is_tagged_pdf_ua_1_with_alt_text_and_language(built_project: Path) -> None:
    reader = pypdf.PdfReader(built_project / "_manuscript" / "manuscript" / "index.pdf")
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    alts = []
    for number in sorted({n for ids in reader.xref.values() for n in ids}):
        obj = reader.get_object(number)
        if isinstance(obj, pypdf.generic.DictionaryObject) and obj.get("/S") == "/Figure":
            alts.append(str(obj.get("/Alt", "")))
    assert len(alts) == 2
    assert alts[0].startswith("Bar chart of past-year drug use prevalence")
    assert re.match(r"Timeline from 1997 to 2024", alts[1])
