"""A small manuscript project for the front matter, shortcode and conditional content tests:
the article is `doc/index.qmd`, its bibliography `doc/refs.bib`, and outputs are read back as
text (HTML as written, DOCX's document.xml, the PDF's extracted text)."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pypdf

from galley.util.tools import pandoc_path

BIB = "@book{known2020,\n  author = {Known, Ann},\n  title = {A Known Book},\n  year = {2020},\n  publisher = {P},\n}\n"


def write_project(root: Path, front: str, body: str, formats: str = "html") -> Path:
    """`_quarto.yml` for `formats` (space-separated), and the article with `front` as its YAML."""
    root.mkdir(parents=True, exist_ok=True)
    listed = "".join(f"  {fmt}: default\n" for fmt in formats.split())
    (root / "_quarto.yml").write_text(
        f"project:\n  type: manuscript\nmanuscript:\n  article: doc/index.qmd\nformat:\n{listed}",
        encoding="utf-8",
    )
    (root / "doc").mkdir(parents=True, exist_ok=True)
    (root / "doc" / "refs.bib").write_text(BIB, encoding="utf-8")
    (root / "doc" / "index.qmd").write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    return root


def html(root: Path) -> str:
    return (root / "_manuscript" / "doc" / "index.html").read_text(encoding="utf-8")


def docx_xml(root: Path, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(root / "_manuscript" / "doc" / "index.docx") as docx:
        return docx.read(part).decode("utf-8")


def pdf_text(root: Path) -> str:
    reader = pypdf.PdfReader(root / "_manuscript" / "doc" / "index.pdf")
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def listed_files(folder: Path, targets: list[str]) -> dict[str, str]:
    """The environment for pandoc run in `folder` with local-files.lua: `targets` (as written,
    relative to `folder`) listed with the files they name, as galley.reading.local_files lists
    the project's files for the engine."""
    listing = folder / "local-files.json"
    files = {target: str((folder / target).resolve()) for target in targets}
    listing.write_text(json.dumps(files), encoding="utf-8")
    return {**os.environ, "GALLEY_LOCAL_FILES": str(listing)}


def recording_pandoc(folder: Path, record: Path, line: str) -> Path:
    """A `pandoc` in `folder` that appends `line` (a printf argument list: a format, then shell
    words such as "$GHCRTS") to `record` for each run, then runs the real pandoc: point
    PYPANDOC_PANDOC at it to see what galley gave each run."""
    wrapper = folder / "pandoc"
    wrapper.write_text(
        f'#!/bin/sh\nprintf {line} >> "{record}"\nexec "{pandoc_path()}" "$@"\n', encoding="utf-8"
    )
    wrapper.chmod(0o755)
    return wrapper
