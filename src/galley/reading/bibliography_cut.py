"""The cited-only copy of a BibTeX file that pandoc reads when a bibliography is large (the build)
or only the cited entries matter (`galley refs`, the checker's `unrenderable-entry`): pandoc's
citeproc holds about 160 bytes per byte of BibTeX in memory.

The entries are bibtexparser's, as everywhere in galley, but a 50 MB file takes bibtexparser
about forty seconds, so it reads only the blocks that may matter. That is exact because of how
bibtexparser splits a file: an `@type{` (or `@type(`) at the start of a line begins a block even
inside another block's value, which it then abandons. So the file falls apart at those lines
into pieces bibtexparser reads alone exactly as within the whole; and where a piece's key is
written plainly (`@book{key,` without any character bibtexparser stops at), it is that key.
Every other piece is read by bibtexparser itself.
"""

from __future__ import annotations

import bisect
import logging
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

from bibtexparser.entrypoint import parse_string
from bibtexparser.model import Entry

from galley.reading.bibliography import without_comments

# A block start: `@type{` or `@type(`. One at a line start (after spaces or tabs) begins a piece;
# any other begins a block only between blocks, and its piece is read by bibtexparser.
BLOCK_START = re.compile(r"@(?P<type>\w*)[ \t]*[{(]")
# The key up to the first comma, holding none of the characters bibtexparser stops at.
PLAIN_KEY = re.compile(r"""[^{}(),="\\@\n]*(?=,)""")
# An @string block at a line's start, and any block start at a line's start (where bibtexparser
# ends the block before it, whatever it is in the middle of).
STRING_START = re.compile(r"^[ \t]*@string[ \t]*[{(]", re.IGNORECASE | re.MULTILINE)
LINE_BLOCK_START = re.compile(r"^[ \t]*@\w*[ \t]*[{(]", re.MULTILINE)
# Blocks bibtexparser reads as other than entries (it matches the start of the type).
NOT_ENTRIES = ("comment", "preamble", "string")
PARENT_FIELDS = ("crossref", "xref", "xdata")


@dataclass
class _Piece:
    start: int
    end: int
    key: str | None  # its plainly written key; None when bibtexparser must read it
    entry: bool  # begins as an entry (not @string, @comment or @preamble)


def _pieces(text: str) -> list[_Piece]:
    starts: list[tuple[int, re.Match[str]]] = []
    inline: set[int] = set()
    for mark in BLOCK_START.finditer(text):
        line = text.rfind("\n", 0, mark.start()) + 1
        if text[line : mark.start()].strip(" \t"):
            inline.add(len(starts) - 1)  # the piece it lies in is not read alone
        else:
            starts.append((line, mark))
    pieces = []
    for index, (start, mark) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        key = PLAIN_KEY.match(text, mark.end())
        plain = key[0].strip() if key and index not in inline else ""
        entry = not mark["type"].lower().startswith(NOT_ENTRIES)
        pieces.append(_Piece(start, end, plain or None, entry))
    return pieces


def _entries(text: str) -> list[Entry]:
    logger = logging.getLogger("bibtexparser")  # a syntax error is the checker's to report
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        return list(parse_string(text).entries)
    finally:
        logger.setLevel(level)


def _parents(entry: Entry) -> list[str]:
    names = []
    for item in entry.fields:
        if item.key.lower() in PARENT_FIELDS:
            value = str(item.value).strip().strip('{}"')
            names += [name.strip() for name in value.split(",") if name.strip()]
    return names


def strings_only(text: str) -> tuple[str, Callable[[int], int]]:
    """The @string blocks of `text` alone, one after the other, and the line of the file each
    line of them stands on: what decides the @strings' lengths, found in a moment in a file of
    any size (each block ends where bibtexparser would end it, at the next block start)."""
    text = without_comments(text)
    parts: list[str] = []
    starts: list[tuple[int, int]] = []  # (first line in the parts, its line in the file)
    line, counted, joined_lines = 1, 0, 1
    for start in STRING_START.finditer(text):
        following = LINE_BLOCK_START.search(text, start.end())
        end = following.start() if following else len(text)
        line += text.count("\n", counted, start.start())
        counted = start.start()
        block = text[start.start() : end].rstrip("\n") + "\n"
        starts.append((joined_lines, line))
        parts.append(block)
        joined_lines += block.count("\n")

    def file_line(joined: int) -> int:
        at = bisect.bisect_right(starts, (joined, sys.maxsize)) - 1
        return starts[at][1] + joined - starts[at][0] if at >= 0 else joined

    return "".join(parts), file_line


def cited_only(text: str, keys: set[str]) -> str:
    """`text` with every entry not in `keys` (nor a parent of one, by `crossref`, `xref` or
    `xdata`) replaced by empty lines, so that pandoc's line numbers stay right. A piece that
    does not parse is kept: pandoc reports it. A balanced `@comment{…}` is blanked whole, as
    pandoc skips it (galley.reading.bibliography.without_comments)."""
    text = without_comments(text)
    pieces = _pieces(text)
    read: dict[int, list[Entry]] = {
        index: _entries(text[piece.start : piece.end])
        for index, piece in enumerate(pieces)
        if piece.entry and piece.key is None
    }
    by_key: dict[str, list[int]] = {}
    for index, piece in enumerate(pieces):
        names = [piece.key] if piece.key else [entry.key for entry in read.get(index, [])]
        for name in names:
            by_key.setdefault(name, []).append(index)
    keep: set[int] = set()
    todo = [key for key in keys if key in by_key]
    seen: set[str] = set()
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        for index in by_key[key]:
            keep.add(index)
            piece = pieces[index]
            entries = read.setdefault(index, _entries(text[piece.start : piece.end]))
            todo += [parent for entry in entries for parent in _parents(entry) if parent in by_key]
    out, position = [], 0
    for index, piece in enumerate(pieces):
        if not piece.entry or index in keep or (piece.key is None and not read[index]):
            continue
        out += [text[position : piece.start], "\n" * text.count("\n", piece.start, piece.end)]
        position = piece.end
    out.append(text[position:])
    return "".join(out)
