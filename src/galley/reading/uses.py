"""Every citation and cross-reference of the manuscript at its file and line: pandoc decides
which `@key`s cite (galley.reading.cites), the scanner only finds where each one stands.

A key pandoc reads that the scanner did not find where pandoc did (a bare URL's `@user`, a key
whose `$` the scanner reads otherwise) is placed at the first `@key` written after the previous
citation, or else at the previous citation's line: it is reported all the same.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from galley.reading.citations import CitationRef, Kind, crossref_label, scan_masked
from galley.reading.cites import pandoc_cites
from galley.reading.documents import Corpus
from galley.reading.markdown import LineIndex, mask

CACHE = "citations.json"  # under .galley/cache/


@dataclass(frozen=True)
class Use:
    """One citation (or cross-reference) where it stands: the file (relative to the project),
    line and notebook cell, and the scope its cross-references resolve in."""

    key: str  # a citation key, or a cross-reference label such as `fig-x`
    path: str
    line: int
    cell: int | None = None
    kind: Kind = "citation"
    group: str = "article"


def _written(masked: str, key: str, start: int, end: int) -> int | None:
    """The offset of the first `@key` (or `@{key}`) in `masked[start:end]`, read whole (the
    `@a` of `@a$a` is not `a`)."""
    if masked.find("@" + key, start, end) < 0 and masked.find("@{" + key, start, end) < 0:
        return None  # the common case, without a regular expression
    whole = rf"@(?:{re.escape(key)}(?![:.#$%&+?<>~/-]*\w)|\{{{re.escape(key)}\}})"
    match = re.compile(whole).search(masked, start, end)
    return match.start() if match else None


def place(keys: Sequence[str], text: str) -> list[CitationRef]:
    """pandoc's keys of `text`, in its order, each at the line and column it stands at: where
    the scanner found it after the previous citation, or where it is written before that (in
    prose: code and comments are masked), or else at the previous citation's line."""
    index = LineIndex(text)
    masked = mask(text).text
    found: dict[str, list[int]] = defaultdict(list)
    for ref in scan_masked(masked):
        found[ref.key].append(index.starts[ref.line - 1] + ref.column - 1)
    placed: list[CitationRef] = []
    previous = -1  # offset of the previous citation
    for key in keys:
        label = crossref_label(key)
        offsets = found[label or key]
        after = bisect.bisect_right(offsets, previous)
        scanned = offsets[after] if after < len(offsets) else len(text)
        offset = _written(masked, key, previous + 1, scanned)
        if offset is None:
            offset = scanned if after < len(offsets) else _written(masked, key, 0, len(text))
        previous = max(previous, 0) if offset is None else offset
        line, column = index.position(previous)
        placed.append(CitationRef(label or key, line, column, "crossref" if label else "citation"))
    return placed


def read_uses(corpus: Corpus, cache: Path | None = None) -> list[Use]:
    """Every citation and cross-reference pandoc reads in the corpus, with its file and line;
    none from a file the checks leave out."""
    uses = []
    for text, keys in zip(
        corpus.texts, pandoc_cites([t.text for t in corpus.texts], cache), strict=True
    ):
        for ref in place(keys, text.text):
            path, line = text.origins[ref.line - 1]
            if path not in corpus.excluded:
                uses.append(Use(ref.key, path, line, text.cell, ref.kind, text.group))
    return uses
