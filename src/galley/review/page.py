"""`_manuscript/diff.html`: the changes as the reader sees them, one self-contained page.

A summary counting what was added, removed and changed; then each change in reading order,
labelled with the section it is in now, its words inserted and deleted marked; tables cell by
cell; figures before and after, side by side, with their hashes. Everything the manuscript says is
escaped text: the page's only markup is its own.
"""

from __future__ import annotations

import base64
import mimetypes
from html import escape

from galley.review.compare import Comparison, Entry, Piece, Row
from galley.review.rendered import Block

CONTEXT_WORDS = 20  # unchanged words shown on each side of a change
KINDS = {
    "heading": "Heading",
    "paragraph": "Paragraph",
    "item": "List item",
    "figure": "Figure",
    "table": "Table",
    "reference": "Reference",
}
STATUS = {"added": "added", "removed": "removed", "changed": "changed"}
STYLE = """
:root { --text: #1d1d1f; --muted: #55555b; --bg: #fff; --rule: #d8d8dc; --ins: #dcf5e3; --ins-text: #0b4a1e; --del: #fbe0e0; --del-text: #7a1010; color-scheme: light dark; }
@media (prefers-color-scheme: dark) { :root { --text: #e8e8ea; --muted: #b4b4bb; --bg: #141416; --rule: #3a3a40; --ins: #143d22; --ins-text: #c8f5d4; --del: #4a1a1a; --del-text: #ffd6d6; } }
html { background: var(--bg); color: var(--text); }
body { font-family: Georgia, serif; line-height: 1.6; max-width: 52rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; overflow-wrap: anywhere; }
h1, h2, h3 { font-family: "Helvetica Neue", Arial, sans-serif; line-height: 1.25; }
.summary { border: 1px solid var(--rule); border-radius: 6px; padding: 0.5rem 1.25rem; }
.summary table, .change table { border-collapse: collapse; }
.summary th, .summary td, .change th, .change td { border-bottom: 1px solid var(--rule); padding: 0.2rem 0.6rem; text-align: left; vertical-align: top; }
.where { font: 0.8rem/1.4 "Helvetica Neue", Arial, sans-serif; color: var(--muted); margin: 0; }
ins { background: var(--ins); color: var(--ins-text); text-decoration: underline; }
del { background: var(--del); color: var(--del-text); text-decoration: line-through; }
.change { border-left: 3px solid var(--rule); padding-left: 1rem; margin: 1.5rem 0; }
.change.added { border-color: var(--ins-text); }
.change.removed { border-color: var(--del-text); }
.change .table { overflow-x: auto; }
tr.added td { background: var(--ins); }
tr.removed td { background: var(--del); }
td.changed { outline: 2px solid var(--muted); }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.pair figure { margin: 0; }
.pair img { max-width: 100%; height: auto; background: #fff; }
@media (max-width: 600px) { .pair { grid-template-columns: 1fr; } }
"""


def _shorten(text: str, after_change: bool, before_change: bool) -> str:
    """Unchanged words between changes, cut to the ones next to them when there are many."""
    words = text.split(" ")
    if len(words) <= 2 * CONTEXT_WORDS + 5:
        return text
    head = " ".join(words[:CONTEXT_WORDS]) + " " if after_change else ""
    tail = " " + " ".join(words[-CONTEXT_WORDS:]) if before_change else ""
    return f"{head}…{tail}"


def marked(pieces: tuple[Piece, ...] | list[Piece], shorten: bool = True) -> str:
    """The pieces as text, with `ins` and `del` round the words inserted and deleted; unchanged
    words far from a change cut short, unless nothing changed (a figure's unchanged caption)."""
    shorten = shorten and any(op != "equal" for op, _ in pieces)
    parts = []
    last = len(pieces) - 1
    for index, (op, text) in enumerate(pieces):
        if op == "equal":
            shown = _shorten(text, index > 0, index < last) if shorten else text
            parts.append(escape(shown))
        else:
            tag = "ins" if op == "insert" else "del"
            parts.append(f"<{tag}>{escape(text)}</{tag}>")
    return "".join(parts).replace("\n\n", "<br><br>")


def _summary(c: Comparison) -> str:
    rows = "".join(
        f'<tr id="count-{escape(group.split()[0].lower())}"><th scope="row">{escape(group)}</th>'
        f"<td>{n['added']}</td><td>{n['removed']}</td><td>{n['changed']}</td></tr>"
        for group, n in c.counts().items()
    )
    return (
        '<section class="summary" aria-labelledby="summary-title">'
        '<h2 id="summary-title">Summary</h2>'
        f'<p id="count-words"><strong>{c.words("insert")}</strong> words inserted, '
        f"<strong>{c.words('delete')}</strong> deleted</p>"
        "<table><thead><tr><th></th><th>added</th><th>removed</th><th>changed</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></section>"
    )


def _image(block: Block | None, side: str) -> str:
    if block is None or not block.images:
        return f"<div><h4>{side}</h4><p>(not present)</p></div>"
    parts = [f"<h4>{side}</h4>"]
    for image in block.images:
        parts.append(f'<p class="where">sha256:{escape((image.sha256 or "missing")[:12])}</p>')
        if image.sha256 is None:
            parts.append(f"<p>the image {escape(image.path.name)} is missing</p>")
            continue
        mime = mimetypes.guess_type(image.path.name)[0] or "application/octet-stream"
        data = base64.b64encode(image.path.read_bytes()).decode("ascii")
        parts.append(f'<figure><img src="data:{mime};base64,{data}" alt="{escape(image.alt)}">')
        parts.append("</figure>")
    return f"<div>{''.join(parts)}</div>"


def _cell(cell: tuple[Piece, ...], tag: str) -> str:
    changed = ' class="changed"' if any(op != "equal" for op, _ in cell) else ""
    return f"<{tag}{changed}>{marked(cell, shorten=False)}</{tag}>"


def _row(row: Row, header: bool) -> str:
    cells = "".join(_cell(cell, "th" if header else "td") for cell in row.cells)
    return f'<tr class="{row.status}">{cells}</tr>'


def _body(entry: Entry) -> str:
    block = entry.block
    html = f"<p>{marked(entry.pieces)}</p>" if entry.pieces else ""
    if block.kind == "table":
        rows = "".join(_row(row, index == 0) for index, row in enumerate(entry.rows))
        html += f'<div class="table"><table>{rows}</table></div>'
    if block.kind == "figure":
        # The alt text, when it says more than the caption (pandoc's default alt is the caption).
        if any(op != "equal" for op, _ in entry.alt) and entry.alt != entry.pieces:
            html += f'<p class="where">Alt text:</p><p>{marked(entry.alt)}</p>'
        if entry.images_changed or entry.status != "changed":
            pair = _image(entry.old, "Before") + _image(entry.new, "Now")
            html += f'<div class="pair">{pair}</div>'
    return html


def _label(entry: Entry, index: int) -> str:
    block = entry.block
    kind = block.ident.capitalize() if block.kind == "front" else KINDS[block.kind]
    where = (
        "Title block" if block.kind == "front" else (entry.section or "Before the first section")
    )
    shown = block.kind in ("figure", "table", "reference") and block.ident
    ident = f" {block.ident}" if shown else ""
    return (
        f'<p class="where" id="change-{index}-where">{escape(where)} · {escape(kind)}'
        f"{escape(ident)} {STATUS[entry.status]}</p>"
    )


def render(c: Comparison, title: str, lang: str = "en") -> str:
    changes = c.changes
    body = "\n".join(
        f'<section class="change {entry.status}" id="change-{index}">{_label(entry, index)}'
        f"{_body(entry)}</section>"
        for index, entry in enumerate(changes, 1)
    )
    heading = f"Changes since {c.old.label}"
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(heading)}: {escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<header><h1>{escape(heading)}</h1>\n<p>{escape(title)}: {escape(c.old.label)} "
        f"→ {escape(c.new.label)}</p></header>\n<main>\n{_summary(c)}\n"
        f'<section aria-labelledby="changes"><h2 id="changes">Changes</h2>\n'
        f"{body or '<p>Nothing changed.</p>'}\n</section>\n</main>\n</body>\n</html>\n"
    )
