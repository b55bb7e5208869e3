"""Values galley writes into Typst code (not markup) in the article template: the PDF's document
metadata, the language, the paper size and the outline depth.

Pandoc escapes a metadata value for Typst *markup*; inside a Typst string literal a `"` or `\\`
would end or break it (and a wrapped line would put a line break into the PDF's metadata). So
these values reach the template as raw Typst, written here: each string escaped for a string
literal, on one line, and each number checked to be one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from galley.errors import GalleyError

# Paper names as pandoc and LaTeX users write them -> Typst's names for the same sizes.
PAPER_NAMES = {"letter": "us-letter", "legal": "us-legal", "executive": "us-executive"}


def typst_string(text: str) -> str:
    """A Typst string literal holding `text` on one line. A backtick is written as an escape,
    so that the literal fits in a Markdown code span."""
    folded = " ".join(text.split())
    escaped = folded.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\u{60}")
    return f'"{escaped}"'


def _raw(code: str) -> str:
    """Markdown that pandoc reads as raw Typst `code` (which holds no backtick)."""
    return f"`{code}`{{=typst}}"


def _array(values: Iterable[str]) -> str:
    return _raw("(" + "".join(typst_string(v) + ", " for v in values) + ")")


def typst_values(meta: dict[str, Any], where: str) -> dict[str, str]:
    """The template's `galley-typst-*` variables for one render's metadata."""
    values = {
        "galley-typst-lang": _raw(typst_string(str(meta.get("lang") or "en"))),
        "galley-typst-paper": _raw(typst_string(_paper(str(meta.get("papersize") or "a4")))),
    }
    authors = meta.get("galley-authors") or []
    if authors:
        values["galley-typst-authors"] = _array(str(a["name"]) for a in authors)
    keywords = meta.get("keywords") or []
    if keywords:
        values["galley-typst-keywords"] = _array(str(k) for k in keywords)
    if meta.get("toc"):
        depth = meta.get("toc-depth", 3)
        if isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= 6:
            raise GalleyError(
                f"`toc-depth: {depth}` is not a heading level; write a whole number from 1 to 6",
                path=where,
            )
        values["galley-typst-toc-depth"] = _raw(str(depth))
    return values


def _paper(name: str) -> str:
    name = name.strip().lower()
    return PAPER_NAMES.get(name, name)


def keyword_list(value: object) -> list[str]:
    """Quarto's `keywords`: a list, or one string of comma-separated keywords."""
    if isinstance(value, str):
        return [k.strip() for k in re.split(r"[,;]", value) if k.strip()]
    if isinstance(value, list):
        return [" ".join(str(k).split()) for k in value if str(k).strip()]
    return [] if value is None else [str(value)]
