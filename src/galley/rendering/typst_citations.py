"""Typst's own citations for the PDF, as Quarto makes them by default: pandoc writes `#cite`, the
template ends with `#bibliography(...)` (and `#set bibliography(style: ...)` for `csl:` or
`bibliographystyle:`), and Typst formats the references. `citeproc: true` in the Typst format's
options keeps pandoc's citeproc instead, as in Quarto.

The paths in the .typ are the ones the author wrote, relative to the article; galley writes the
.typ in a staging folder that mirrors the project, with copies of the bibliographies and the
style at the same relative places, so they resolve there as they do beside the article.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from galley.project import Project
from galley.rendering.styles import csl_path

TYPST_FORMATS = ("typst", "pdf")


def native_citations(settings: dict[str, Any], fmt: str) -> bool:
    """Whether Typst formats the citations of `fmt` (pandoc's citeproc does otherwise)."""
    return fmt in TYPST_FORMATS and settings.get("citeproc") is not True


def _written(
    project: Project, source_front: dict[str, Any], key: str, paths: list[Path]
) -> list[str]:
    """`paths` as the author wrote them when the front matter names them, else relative to the
    article (they were written relative to the project in _quarto.yml)."""
    value = source_front.get(key)
    if value is not None:
        return [str(v) for v in (value if isinstance(value, list) else [value])]
    return [Path(os.path.relpath(p, project.article.parent)).as_posix() for p in paths]


def _typst_string(text: str) -> str:
    """A Typst string literal: JSON's escapes for `"` and `\\` are Typst's too."""
    return json.dumps(text, ensure_ascii=False)


def bibliography_metadata(
    project: Project, front: dict[str, Any], settings: dict[str, Any]
) -> dict[str, Any]:
    """`galley-typst-bibliography`: the Typst lines that end the document, as a raw block."""
    if not project.bibliographies:
        return {}
    files = _written(project, front, "bibliography", list(project.bibliographies))
    lines = []
    if settings.get("suppress-bibliography") is True:
        lines.append("#show bibliography: none")
    if project.csl is not None:
        style = _written(project, front, "csl", [project.csl])[0]
        lines.append(f"#set bibliography(style: {_typst_string(style)})")
    elif settings.get("bibliographystyle"):
        lines.append(
            f"#set bibliography(style: {_typst_string(str(settings['bibliographystyle']))})"
        )
    lines.append(f"#bibliography(({','.join(_typst_string(f) for f in files)}))")
    return {"galley-typst-bibliography": "```{=typst}\n" + "\n".join(lines) + "\n```\n"}


def staged_typ_folder(project: Project, scratch: Path, rendered: tuple[Path, ...]) -> Path:
    """The folder, inside `scratch`, where the .typ goes: the article's folder in a mirror of the
    project holding the style and, at each bibliography's place, the file to render it with
    (`rendered`, in the same order: a large one is a cited-only copy, so Typst reads no more
    than pandoc would)."""
    copies = list(zip(rendered or project.bibliographies, project.bibliographies, strict=True))
    # The style may be galley's copy of a packaged one (galley.rendering.styles): it goes where the
    # project names it.
    style = csl_path(project)
    if project.csl is not None and style is not None:
        copies.append((style, project.csl))
    for source, place in copies:
        if source.is_file() and place.is_relative_to(project.root):
            copy = scratch / place.relative_to(project.root)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy)
    folder = scratch / project.article.parent.relative_to(project.root)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
