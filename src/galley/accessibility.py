"""What `galley build` warns about in the sources.

Quarto renders a figure without alt text, a skipped heading level and a missing image (the
reader sees the alt text or the caption), so the build does too and prints each as a warning;
`galley check` reports the same problems as errors (rules `missing-alt-text`,
`skipped-heading-level`, `missing-file`), which is where a project's CI fails on them. An
image outside the project is refused with every other local path (galley.reading.local_files).
"""

from __future__ import annotations

from galley.check.accessibility import IMAGE, Placed, accessibility_findings
from galley.findings import Finding
from galley.project import Project
from galley.reading.local_files import local_path
from galley.reading.markdown import mask
from galley.reading.sources import Source


def _placed(project: Project, source: Source) -> list[Placed]:
    lines = mask(source.body).text.split("\n")
    shown = {path: project.rel(path) for path in source.files}  # a book has few files, many lines
    placed = []
    for index, text in enumerate(lines):
        origin = source.origin(index)
        path = shown.get(origin.path) or project.rel(origin.path)
        placed.append(Placed(text, path, origin.line))
    return placed


def _missing_images(project: Project, lines: list[Placed]) -> list[Finding]:
    """Missing images as warnings. An image outside the project is left to the render's check of
    every local path (galley.reading.local_files), which refuses it."""
    found = []
    for line in lines:
        for image in IMAGE.finditer(line.text):
            src = image["src"]
            path = local_path(project.article.parent, src)
            if path is None or not path.is_relative_to(project.root):
                continue
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
    `[tool.galley.check] disable` turns off."""
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
