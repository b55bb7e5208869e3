"""What a build refuses for the readers who cannot see the page: a figure without alt text, and
a heading that skips a level (a screen reader's outline would have a hole).

Both are read from the expanded sources (galley.sources), with code blanked out, so every
problem names the file and line where the author fixes it.
"""

from __future__ import annotations

import re

from galley.check.markdown import mask
from galley.errors import GalleyError
from galley.project import Project
from galley.sources import Source

IMAGE = re.compile(
    r"!\[(?P<alt>(?:[^\[\]]|\[[^\[\]]*\])*)\]\((?P<src>[^)\s]+)[^)]*\)(?P<attrs>\{[^}]*\})?"
)
FIG_ALT = re.compile(r"""\bfig-alt\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s}]+))""")
FIG_ID = re.compile(r"#(fig-[\w-]+)")
ATX_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+\S")


def _alt_text(attrs: str) -> str:
    match = FIG_ALT.search(attrs)
    return (match["dq"] or match["sq"] or match["bare"] or "").strip() if match else ""


def problems(project: Project, source: Source) -> list[GalleyError]:
    """Every accessibility problem of the article, in source order."""
    found: list[GalleyError] = []
    previous_level = 0
    for index, line in enumerate(mask(source.body).text.split("\n")):
        origin = source.origin(index)
        path, number = project.rel(origin.path), origin.line
        for image in IMAGE.finditer(line):
            attrs = image["attrs"] or ""
            label = FIG_ID.search(attrs)
            if _alt_text(attrs) or (not label and image["alt"].strip()):
                continue
            what = f"figure `{label[1]}`" if label else f"image `{image['src']}`"
            found.append(
                GalleyError(
                    f'{what} has no alt text; add fig-alt="..." to its attributes, saying what '
                    "the image shows for readers who cannot see it",
                    path=path,
                    line=number,
                )
            )
        heading = ATX_HEADING.match(line)
        if heading:
            level = len(heading["hashes"])
            if previous_level and level > previous_level + 1:
                found.append(
                    GalleyError(
                        f"heading level {level} follows level {previous_level}, skipping a level; "
                        f"use {'#' * (previous_level + 1)} here, or add the missing heading above",
                        path=path,
                        line=number,
                    )
                )
            previous_level = level
    return found


def check(project: Project, source: Source) -> None:
    """Raise the first problem (with a count of the others), or return."""
    found = problems(project, source)
    if not found:
        return
    first = found[0]
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    raise GalleyError(first.message + more, path=first.path, line=first.line)
