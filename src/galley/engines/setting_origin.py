"""Where a setting such as `papersize:` is written, for a message that names the file and line.

Quarto reads a setting from `_quarto.yml` and the article's front matter, the front matter
winning; within a file, a format's own options (`format: typst: papersize:`) come after the
top-level ones and win. So the place is the last line that writes the key in the article's front
matter, else in `_quarto.yml`; a value from a `metadata-files:` file is named by the article.
"""

from __future__ import annotations

import re
from pathlib import Path

from galley.project import QUARTO_FILE, Project
from galley.reading.front_matter import front_matter_lines


def setting_origin(project: Project, key: str) -> tuple[str, int | None]:
    written = re.compile(rf"^\s*{re.escape(key)}\s*:")
    article = file_lines(project.article)
    span = front_matter_lines(article)
    quarto = project.root / QUARTO_FILE
    for path, lines in (
        (project.article, article[: span[1]] if span else []),
        (quarto, file_lines(quarto)),
    ):
        found = [number for number, line in enumerate(lines, start=1) if written.match(line)]
        if found:
            return project.rel(path), found[-1]
    return project.rel(project.article), None


def file_lines(path: Path) -> list[str]:
    """The file's lines, to find where something is written; none if it cannot be read."""
    try:
        return path.read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError:
        return []  # only a hint of where: galley read the file already
