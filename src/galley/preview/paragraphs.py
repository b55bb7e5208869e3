"""Which saved edits change one plain paragraph and nothing else, so the preview can render that
paragraph alone instead of the whole article.

A paragraph renders the same alone as in the article when nothing in it depends on the rest of
the document. This module is conservative: a chunk (blank-line separated) qualifies only when it
stands at the top level (not in a code fence, fenced div, HTML comment or list) and holds none of
the syntax whose rendering depends on context or that makes something other than a paragraph:
headings, lists, quotes, tables, definition lists, attributes, shortcodes, raw HTML and TeX,
math, footnotes, images, reference-style links, and links to anything but the web or an anchor.
Citations may stand in it only when the edit leaves them exactly as they were, in order, so
citeproc's numbering, disambiguation and reference list cannot change; the preview then checks
that the old paragraph's rendering alone is found once in the page (galley.preview.quick_edit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from galley.reading.citations import CITATION

FENCE = re.compile(r"^(`{3,}|~{3,}|:{3,})")
# A line that starts a block other than a paragraph, or continues one (indented).
BLOCK_START = re.compile(
    r"^(?:[\s#>*+|:=_~-]|\(?(?:\d+|[A-Za-z]|[ivxlcdmIVXLCDM]+|#|@)[.)](?:\s|$)|Table:|\^?\[\^)"
)
# Characters whose meaning depends on context, or that start raw content or math.
UNSAFE = re.compile(r"[{}<>$\\|]|!\[|\^\[|\[\^")
BRACKETS = re.compile(r"\[([^\[\]\n]*)\](\(([^()\s]*)\))?")
CITATIONS = re.compile(f"{BRACKETS.pattern}|{CITATION.pattern}")
LINK_TARGET = re.compile(r"^(?:https?://\S+|#[\w:.-]+)$")


@dataclass(frozen=True)
class Edit:
    """One plain paragraph of the expanded body, before and after the save."""

    old: str
    new: str


def chunks(body: str) -> list[tuple[str, bool]]:
    """The body's blank-line separated chunks, each with whether it stands at the top level
    (outside code fences, fenced divs and HTML comments)."""
    result: list[tuple[str, bool]] = []
    fence: str | None = None  # the open code fence
    divs = 0
    comment = False
    current: list[str] = []
    top = True
    for line in [*body.split("\n"), ""]:
        if not line.strip() and fence is None:
            if current:
                result.append(("\n".join(current), top))
            current = []
            continue
        if not current:
            top = fence is None and divs == 0 and not comment
        current.append(line)
        if comment:
            comment = "-->" not in line
            continue
        marker = FENCE.match(line)
        if fence is not None:
            if marker and marker[1][0] == fence[0] and len(marker[1]) >= len(fence):
                fence = None
        elif marker and marker[1][0] == ":":
            divs = divs - 1 if line.strip(":").strip() == "" and divs else divs + 1
        elif marker:
            fence = marker[1]
        elif "<!--" in line and "-->" not in line.split("<!--")[-1]:
            comment = True
    return result


def plain_edit(old_body: str, new_body: str) -> Edit | None:
    """The one paragraph the save changed, when it changed exactly one plain top-level paragraph
    and left its citations as they were; None when the edit needs the whole render."""
    old, new = chunks(old_body), chunks(new_body)
    if len(old) != len(new) or old_body == new_body:
        return None
    changed = [i for i, (before, after) in enumerate(zip(old, new, strict=True)) if before != after]
    if len(changed) != 1:
        return None
    index = changed[0]
    (old_text, old_top), (new_text, new_top) = old[index], new[index]
    following = new[index + 1][0] if index + 1 < len(new) else ""
    if not (old_top and new_top and _plain(old_text) and _plain(new_text)):
        return None
    # A chunk followed by `: text` or `~ text` is a definition list's term.
    if following.startswith((":", "~")) or _citations(old_text) != _citations(new_text):
        return None
    return Edit(old_text, new_text)


def _plain(chunk: str) -> bool:
    if UNSAFE.search(chunk) or any(BLOCK_START.match(line) for line in chunk.split("\n")):
        return False
    for match in BRACKETS.finditer(chunk):
        inside, target = match[1], match[3]
        if target is not None:
            if not LINK_TARGET.match(target):
                return False
        elif not CITATION.search(inside):  # a reference link, or a citation's locator
            return False
    return True


def _citations(chunk: str) -> list[str]:
    """The citations, in order: each bracketed group holding one, and each bare `@key`."""
    return [m[0] for m in CITATIONS.finditer(chunk) if m[0][0] == "@" or m[3] is None]
