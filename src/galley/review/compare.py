"""Two rendered versions compared block by block, then word by word and cell by cell.

Blocks are aligned by what identifies them (a figure's, table's or reference's id; else the
text), and blocks left over between two aligned ones are paired when they read alike, so an
edited paragraph is one changed paragraph, not one removed and one added. The result is the whole
manuscript in reading order, each block equal, added, removed or changed: the page shows the
changes, the DOCX and the PDF the whole marked text.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from galley.review.rendered import Block, Rendered

Piece = tuple[str, str]  # ("equal" | "insert" | "delete", text)
TOKEN = re.compile(r"\s+|\S+")
# Two paragraphs this alike (difflib's ratio on their words) are one paragraph edited.
ALIKE = 0.5
# The summary's groups, by block kind.
GROUPS = {
    "front": "Title block",
    "heading": "Text",
    "paragraph": "Text",
    "item": "Text",
    "figure": "Figures and tables",
    "table": "Figures and tables",
    "reference": "References",
}


def word_pieces(old: str, new: str) -> list[Piece]:
    """`old` turned into `new`: the words kept, deleted and inserted, spaces included."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("insert", "".join(b[j1:j2])))
    return pieces


def words(pieces: Iterable[Piece], op: str) -> int:
    return sum(len(text.split()) for kind, text in pieces if kind == op)


@dataclass(frozen=True)
class Row:
    status: str  # "equal", "added", "removed" or "changed"
    cells: tuple[tuple[Piece, ...], ...]


@dataclass(frozen=True)
class Entry:
    status: str  # "equal", "added", "removed" or "changed"
    old: Block | None
    new: Block | None
    section: str  # the section the passage is in now (for a removed one, where it was)
    pieces: tuple[Piece, ...]  # the text: a caption for a figure or table
    rows: tuple[Row, ...] = ()  # a table's
    alt: tuple[Piece, ...] = ()  # a figure's alt text

    @property
    def block(self) -> Block:
        block = self.new or self.old
        assert block is not None  # an entry has one side at least
        return block

    def all_pieces(self) -> list[Piece]:
        return [*self.pieces, *self.alt, *(p for row in self.rows for c in row.cells for p in c)]

    @property
    def images_changed(self) -> bool:
        before = [i.sha256 for i in self.old.images] if self.old else []
        after = [i.sha256 for i in self.new.images] if self.new else []
        return before != after


@dataclass
class Comparison:
    old: Rendered
    new: Rendered
    entries: list[Entry] = field(default_factory=list)

    @property
    def changes(self) -> list[Entry]:
        return [e for e in self.entries if e.status != "equal"]

    def counts(self) -> dict[str, dict[str, int]]:
        """For each group of the summary: how many blocks were added, removed and changed."""
        counts = {
            group: {"added": 0, "removed": 0, "changed": 0}
            for group in dict.fromkeys(GROUPS.values())
        }
        for entry in self.changes:
            counts[GROUPS[entry.block.kind]][entry.status] += 1
        return counts

    def words(self, op: str) -> int:
        return sum(words(e.all_pieces(), op) for e in self.changes)


def _same(piece_op: str, text: str) -> tuple[Piece, ...]:
    return ((piece_op, text),) if text else ()


def _cells(cells: Sequence[str], op: str) -> tuple[tuple[Piece, ...], ...]:
    return tuple(_same(op, cell) for cell in cells)


def _rows(old: Sequence[tuple[str, ...]], new: Sequence[tuple[str, ...]]) -> tuple[Row, ...]:
    """The table's rows aligned, and a changed row's cells diffed one by one."""
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows += [Row("equal", _cells(row, "equal")) for row in new[j1:j2]]
            continue
        paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for a, b in zip(old[i1 : i1 + paired], new[j1 : j1 + paired], strict=True):
            cells = itertools.zip_longest(a, b, fillvalue="")
            rows.append(Row("changed", tuple(tuple(word_pieces(x, y)) for x, y in cells)))
        rows += [Row("removed", _cells(row, "delete")) for row in old[i1 + paired : i2]]
        rows += [Row("added", _cells(row, "insert")) for row in new[j1 + paired : j2]]
    return tuple(rows)


def _alt(block: Block | None) -> str:
    return " ".join(image.alt for image in block.images) if block else ""


def _entry(old: Block | None, new: Block | None, section: str) -> Entry:
    if new is None or old is None:
        status, op = ("removed", "delete") if new is None else ("added", "insert")
        block = old or new
        assert block is not None
        rows = tuple(Row(status, _cells(row, op)) for row in block.rows)
        return Entry(status, old, new, section, _same(op, block.text), rows, _same(op, _alt(block)))
    pieces = tuple(word_pieces(old.text, new.text))
    rows = _rows(old.rows, new.rows)
    alt = tuple(word_pieces(_alt(old), _alt(new)))
    entry = Entry("changed", old, new, section, pieces, rows, alt)
    if entry.images_changed or any(op != "equal" for op, _ in entry.all_pieces()):
        return entry
    return Entry("equal", old, new, section, pieces, rows, alt)


def _alike(a: Block, b: Block) -> bool:
    if a.kind != b.kind or a.key[1] != a.text or b.key[1] != b.text:
        return False  # blocks with ids pair by id only
    matcher = difflib.SequenceMatcher(None, a.text.split(), b.text.split(), autojunk=False)
    return matcher.ratio() >= ALIKE


def _pair(old: Sequence[Block], new: Sequence[Block]) -> list[tuple[Block | None, Block | None]]:
    """Blocks between two aligned ones: each old one with the next new one like it, in order."""
    pairs: list[tuple[Block | None, Block | None]] = []
    start = 0
    for block in old:
        match = next((k for k in range(start, len(new)) if _alike(block, new[k])), None)
        if match is None:
            pairs.append((block, None))
            continue
        pairs += [(None, b) for b in new[start:match]]
        pairs.append((block, new[match]))
        start = match + 1
    pairs += [(None, b) for b in new[start:]]
    return pairs


def compare(old: Rendered, new: Rendered) -> Comparison:
    before, after = old.blocks, new.blocks
    matcher = difflib.SequenceMatcher(
        None, [b.key for b in before], [b.key for b in after], autojunk=False
    )
    pairs: list[tuple[Block | None, Block | None]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs += zip(before[i1:i2], after[j1:j2], strict=True)
        else:
            pairs += _pair(before[i1:i2], after[j1:j2])
    result = Comparison(old, new)
    section = ""
    for a, b in pairs:
        if b is not None and b.kind != "front":
            section = b.section
        front = b.kind == "front" if b is not None else a is not None and a.kind == "front"
        if front and not (a and a.text) and not (b and b.text):
            continue  # a title-block field neither version has
        result.entries.append(_entry(a, b, section if b is None else b.section))
    return result
