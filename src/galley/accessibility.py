"""What `galley build` warns about in the sources, and the one image problem it refuses.

Quarto renders a figure without alt text, a skipped heading level and a missing image (the
reader sees the alt text or the caption), so the build does too and prints each as a warning;
`galley check` reports the same problems as errors (rules `missing-alt-text`,
`skipped-heading-level`, `missing-file`), which is where a project's CI fails on them. An
image outside the project is refused: the build never reads or copies a file from there.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from galley.check.accessibility import IMAGE, Placed, accessibility_findings
from galley.check.findings import Finding
from galley.check.markdown import mask
from galley.errors import GalleyError
from galley.project import Project
from galley.sources import Source

SCHEME = re.compile(r"^(?:[a-zA-Z][\w+.-]*:|//)")


def _placed(project: Project, source: Source) -> list[Placed]:
    lines = mask(source.body).text.split("\n")
    placed = []
    for index, text in enumerate(lines):
        origin = source.origin(index)
        placed.append(Placed(text, project.rel(origin.path), origin.line))
    return placed


def _image_path(project: Project, src: str) -> Path | None:
    """The file an image names, as pandoc finds it (from the article's folder; a leading `/`
    from the project's, as Quarto reads it); None for a URL."""
    if SCHEME.match(src):
        return None
    name = unquote(urlsplit(src).path)
    if not name:
        return None
    if name.startswith("/"):
        return (project.root / name.lstrip("/")).resolve()
    return (project.article.parent / name).resolve()


def _missing_images(project: Project, lines: list[Placed]) -> list[Finding]:
    """Missing images as warnings; an image outside the project stops the build."""
    found = []
    for line in lines:
        for image in IMAGE.finditer(line.text):
            src = image["src"]
            path = _image_path(project, src)
            if path is None:
                continue
            if not path.is_relative_to(project.root):
                raise GalleyError(
                    f"image `{src}` lies outside the project; copy it into the project",
                    path=line.path,
                    line=line.line,
                )
            if not path.is_file():
                found.append(
                    Finding(
                        "missing-file",
                        line.path,
                        line.line,
                        f"image `{src}` does not exist",
                        "add the file or fix the path (relative to the article)",
                        url=src,
                    )
                )
    return found


def source_warnings(project: Project, source: Source, disabled: frozenset[str]) -> list[Finding]:
    """The build's warnings about the expanded sources, in source order, without the rules
    `[tool.galley.check] disable` turns off. Raises for an image outside the project."""
    lines = _placed(project, source)
    found = _missing_images(project, lines) + accessibility_findings(lines)
    # An included file's line may stand twice in the text: the first place orders its findings.
    order = {(line.path, line.line): index for index, line in reversed(list(enumerate(lines)))}
    kept = [f for f in found if f.rule not in disabled]
    return sorted(kept, key=lambda f: (order.get((f.path, f.line or 0), 0), f.rule))


def as_warning(finding: Finding) -> str:
    """One line for the terminal: `galley: warning: path:line: what; fix [rule]`."""
    where = f"{finding.path}:{finding.line}" if finding.line else finding.path
    return f"galley: warning: {where}: {finding.message}; {finding.fix} [{finding.rule}]"
