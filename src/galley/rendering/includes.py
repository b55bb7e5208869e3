"""Quarto's `include-in-header`, `include-before-body` and `include-after-body`: raw HTML (or
Typst) the author adds to the page, from files inside the project or written inline (`text:`).

They are the author's own markup by design, so they go into the output verbatim, but only into
the format they are written for: HTML into the HTML page, Typst into the PDF; DOCX has no place
for them (as in Quarto).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from galley.errors import GalleyError
from galley.util.textfile import read_utf8

# Quarto's setting, and the template variable that places it (not pandoc's `header-includes`,
# which the command line's --include-in-header replaces).
PLACES = {
    "include-in-header": "galley-header-includes",
    "include-before-body": "include-before",
    "include-after-body": "include-after",
}
RAW_FORMATS = {"html": "html", "typst": "typst", "pdf": "typst"}
BACKTICKS = re.compile(r"`+")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _content(item: Any, key: str, article: Path, root: Path) -> str:
    """The text one entry of `key` adds: `text:` as written, or a file's content."""
    where = article.relative_to(root).as_posix()
    if isinstance(item, dict) and "text" in item:
        return str(item["text"])
    written = item.get("file") if isinstance(item, dict) else item
    if not isinstance(written, str) or not written:
        raise GalleyError(f"`{key}` entries are file names or `text:` blocks", path=where)
    path = (article.parent / written).resolve()
    if not path.is_relative_to(root):
        raise GalleyError(
            f"`{key}` file `{written}` lies outside the project; copy it into the project",
            path=where,
        )
    if not path.is_file():
        raise GalleyError(
            f"`{key}` file `{written}` does not exist; correct the path (relative to the "
            "article) or create the file",
            path=where,
        )
    return read_utf8(path, written)


def _raw_block(text: str, raw_format: str) -> str:
    """`text` as a raw Markdown block of `raw_format`, fenced longer than any backtick run in it
    (the final newline makes pandoc read a metadata string as a block, not as inline code)."""
    fence = "`" * max(3, 1 + max((len(run) for run in BACKTICKS.findall(text)), default=0))
    return f"{fence}{{={raw_format}}}\n{text.rstrip()}\n{fence}\n"


def include_metadata(
    settings: dict[str, Any], fmt: str, article: Path, root: Path
) -> dict[str, Any]:
    """The template variables the includes fill for `fmt`, as raw blocks of that format."""
    raw_format = RAW_FORMATS.get(fmt)
    meta: dict[str, Any] = {}
    for key, variable in PLACES.items():
        blocks = [
            _raw_block(_content(item, key, article, root), raw_format)
            for item in _as_list(settings.get(key))
            if raw_format is not None
        ]
        if blocks:
            meta[variable] = blocks
    return meta
