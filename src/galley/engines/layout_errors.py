"""A layout value layout.lua cannot use, as the author's error at the line that wrote it."""

from __future__ import annotations

import re
from typing import Any

from galley.errors import GalleyError
from galley.project import Project
from galley.reading.sources import Source

# layout.lua's report on pandoc's stderr: the attribute, its value, what is wrong with it.
BAD_LAYOUT = re.compile(r"^galley-layout-error\t([^\t]+)\t([^\t]*)\t(.*)$", re.MULTILINE)


def raise_for_bad_layout(project: Project, source: Source, stderr: str) -> None:
    """A `layout-ncol`, `layout-nrow` or `layout` value layout.lua cannot use, at its line."""
    match = BAD_LAYOUT.search(stderr)
    if match is None:
        return
    key, value, message = match.groups()
    written = re.compile(rf"""\b{re.escape(key)}\s*=\s*["']?{re.escape(value)}""")
    where: dict[str, Any] = {"path": project.rel(project.article)}
    for index, line in enumerate(source.body.split("\n")):
        if written.search(line):
            origin = source.origin(index)
            where = {"path": project.rel(origin.path), "line": origin.line}
            break
    raise GalleyError(f'{key}="{value}" {message}', **where)
