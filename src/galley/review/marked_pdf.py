"""`_manuscript/diff.pdf`: the marked manuscript for systems that take only PDF.

The same comparison as the DOCX, typeset by Typst: inserted words underlined in green, deleted
words struck through in red, whole added or removed table rows shaded, a changed figure's old and
new images one above the other. Every text goes into the Typst file as a string literal, so
nothing the manuscript says is read as Typst markup.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from galley.errors import ToolError
from galley.review.compare import Comparison, Entry, Piece, Row
from galley.util.tools import tail, typst_module

PREAMBLE = """#set page(paper: "a4", margin: 2.2cm, numbering: "1")
#set text(size: 10.5pt)
#set par(justify: false)
#let ins(body) = underline(text(fill: rgb("#0b6e2f"), body))
#let del(body) = strike(text(fill: rgb("#b00020"), body))
#show heading: set block(above: 1.2em, below: 0.6em)
"""
ROW_FILL = {"added": 'rgb("#dcf5e3")', "removed": 'rgb("#fbe0e0")'}
FRONT_SIZE = {"title": "17pt", "subtitle": "13pt"}


def _string(text: str) -> str:
    """`text` as a Typst string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _marked(pieces: Iterable[Piece]) -> str:
    parts = []
    for op, text in pieces:
        words = " ".join(text.split())
        if text[:1].isspace():
            words = " " + words
        if text[-1:].isspace() and words.strip():
            words += " "
        if not words:
            continue
        call = {"equal": "", "insert": "ins", "delete": "del"}[op]
        parts.append(f"#{call}({_string(words)})" if call else f"#{_string(words)}")
    return "".join(parts)


def _table(rows: tuple[Row, ...]) -> str:
    width = max(len(row.cells) for row in rows)
    cells = []
    for row in rows:
        fill = ROW_FILL.get(row.status)
        for pieces in (*row.cells, *[()] * (width - len(row.cells))):
            content = f"[{_marked(pieces)}]"
            cells.append(f"table.cell(fill: {fill}, {content})" if fill else content)
    return f"#table(columns: {width}, align: left, {', '.join(cells)})\n\n"


def _images(entry: Entry, folder: Path, names: dict[Path, str]) -> str:
    sides = [(entry.new, "")]
    if entry.images_changed:
        sides = [(entry.old, "Before (deleted)"), (entry.new, "Now (inserted)")]
    out = ""
    for block, label in sides:
        for image in block.images if block else ():
            if image.sha256 is None:
                continue
            name = names.setdefault(image.path, f"image-{len(names)}{image.path.suffix}")
            shutil.copyfile(image.path, folder / name)
            colour = "#b00020" if label.startswith("Before") else "#0b6e2f"
            note = f"#text(fill: rgb({_string(colour)}), {_string(label)})\n" if label else ""
            stroke = f'stroke: 1.5pt + rgb("{colour}"), ' if label else ""
            out += (
                f'{note}#block({stroke}inset: 4pt, image("{name}", width: 80%, '
                f"alt: {_string(image.alt)}))\n\n"
            )
    return out


def _entry(entry: Entry, folder: Path, names: dict[Path, str]) -> str:
    block = entry.block
    text = _marked(entry.pieces)
    if block.kind == "front":
        size = FRONT_SIZE.get(block.ident, "10.5pt")
        label = (
            "" if block.ident in FRONT_SIZE else f"#strong({_string(block.ident.capitalize())}): "
        )
        return f"#text(size: {size})[{label}{text}]\n\n"
    if block.kind == "heading":
        return f"#heading(level: {max(block.level, 1)}, numbering: none)[{text}]\n\n"
    if block.kind == "figure":
        return _images(entry, folder, names) + f"#text(size: 9.5pt)[{text}]\n\n"
    if block.kind == "table":
        table = _table(entry.rows) if entry.rows else ""
        return f"#text(size: 9.5pt)[{text}]\n\n{table}"
    return f"{text}\n\n"


def write_marked_pdf(comparison: Comparison, folder: Path, target: Path) -> None:
    """Typeset the marked manuscript in `folder` (a scratch folder) to `target`."""
    names: dict[Path, str] = {}
    since = _string(f"Changes since {comparison.old.label}: inserted words ")
    legend = f'#{since}#ins("underlined"), deleted words #del("struck through").'
    body = "".join(_entry(entry, folder, names) for entry in comparison.entries)
    typ = folder / "diff.typ"
    typ.write_text(f"{PREAMBLE}\n#text(size: 9pt)[{legend}]\n\n{body}", encoding="utf-8")
    typst = typst_module()
    try:
        typst.compile(str(typ), output=str(target), root=str(folder))
    except typst.TypstError as exc:
        raise ToolError(f"Typst failed compiling the marked PDF: {tail(str(exc))}") from None
