"""Where an `{{< include >}}` of the article leads, and what is wrong with it: the build stops on
it (galley.reading.sources), the checker reports it (galley.reading.documents)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

# The target may be quoted, to hold spaces: {{< include "_a file.md" >}}.
INCLUDE = re.compile(
    r"""^\s*\{\{<\s*include\s+(?P<quote>["']?)(?P<target>[^"'\s](?:[^"']*[^"'\s])?)(?P=quote)\s*>\}\}\s*$"""
)
# A shortcode galley replaces, matched whole against one found by galley.reading.shortcodes.spans.


class IncludeProblem(NamedTuple):
    rule: str  # the checker's rule code: include-outside, include-cycle or missing-file
    message: str
    fix: str


def include_target(written: str, including: Path, root: Path) -> Path:
    """The file `{{< include written >}}` in `including` names: relative to that file, or to the
    project's root when it starts with `/`, as Quarto reads it."""
    if written.startswith("/"):
        return (root / written.lstrip("/")).resolve()
    return (including.parent / written).resolve()


def include_problem(
    written: str, target: Path, root: Path, stack: tuple[Path, ...]
) -> IncludeProblem | None:
    """What is wrong with `{{< include written >}}` (resolved: `target`) in the last file of
    `stack`, the chain of files from the article that include one another; None when nothing.
    The build stops on it, the checker reports it."""
    if not target.is_relative_to(root):
        return IncludeProblem(
            "include-outside",
            f"include `{written}` points outside the project",
            "copy the file into the project",
        )
    if target in stack:
        return IncludeProblem(
            "include-cycle",
            f"include `{written}` includes itself (a cycle)",
            "remove this include, or the one that leads back to this file",
        )
    if not target.is_file():
        return IncludeProblem(
            "missing-file",
            f"included file `{written}` does not exist",
            "correct the path (it is relative to this file, or to the project's root when it "
            "starts with `/`), create the file, or declare it as an output of a step in "
            "[tool.galley.steps]",
        )
    return None
