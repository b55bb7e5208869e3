"""Where pandoc citations stand in Markdown: a scanner that finds each `@key` with its line and
column (which keys cite is pandoc's to decide: galley.reading.uses).

The syntax is pandoc's: `[@a; @b, p. 3]`, `@a`, `[-@a]`, `@{odd key}`; a key starts with a
letter, digit or `_` and may hold internal punctuation (`:.#$%&-+?<>~/`) followed by a word
character, so `@a.` cites `a`. `@fig-x`, `@tbl-x`, `@sec-x`, `@eq-x` (and Quarto's other
prefixes) are cross-references. Code, comments, `\\@`, e-mail addresses and URLs are skipped
(pandoc still reads a bare URL's `https://x.org/@user` as citing `user`, and so does galley).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from galley.reading.markdown import LineIndex, blank, mask
from galley.reading.shortcodes import blank_shortcodes

CROSSREF_PREFIXES = frozenset(
    [
        "fig",
        "tbl",
        "sec",
        "eq",
        "lst",
        "thm",
        "lem",
        "cor",
        "prp",
        "cnj",
        "def",
        "exm",
        "exr",
        "sol",
        "rem",
        "nte",
        "tip",
        "wrn",
        "imp",
        "cau",
    ]
)
CITATION = re.compile(
    r"(?<![\w\\@])@(?:\{(?P<braced>[^{}\n]+)\}|(?P<key>\w(?:\w|[:.#$%&+?<>~/-](?=\w)|[:/](?=/))*))"
)
# Places where `@` is part of something else: autolinks and URLs (Quarto shortcodes are blanked
# by galley.reading.shortcodes). Each match can start only where no earlier one could have gone on (no
# `<` inside an autolink, no scheme character before a scheme), so the scan is linear.
NOT_PROSE = re.compile(r"<[A-Za-z][\w+.-]*:[^<>\s]*>|(?<![\w+.-])[A-Za-z][\w+.-]*://[^\s)\]>]*")

Kind = Literal["citation", "crossref"]


@dataclass(frozen=True)
class CitationRef:
    key: str
    line: int
    column: int
    kind: Kind


def crossref_label(key: str) -> str | None:
    """`fig-x` for `@fig-x` (and Quarto's sentence-start `@Fig-x`); None for a citation key."""
    prefix, dash, rest = key.partition("-")
    if (
        dash
        and rest
        and prefix.lower() in CROSSREF_PREFIXES
        and prefix in (prefix.lower(), prefix.capitalize())
    ):
        return f"{prefix.lower()}-{rest}"
    return None


def scan_masked(text: str) -> list[CitationRef]:
    """Citations in text whose code, comments and escapes are already blanked (see `mask`)."""
    text = NOT_PROSE.sub(lambda m: blank(m[0]), blank_shortcodes(text))
    index = LineIndex(text)
    refs = []
    for match in CITATION.finditer(text):
        key = match["braced"] or match["key"]
        label = crossref_label(key)
        line, column = index.position(match.start())
        refs.append(CitationRef(label or key, line, column, "crossref" if label else "citation"))
    return refs


def scan_citations(text: str) -> list[CitationRef]:
    """Every citation and cross-reference in a Markdown document, with 1-based line and column."""
    return scan_masked(mask(text).text)


def nocite_keys(front_matter: Mapping[str, object]) -> list[str]:
    """Keys named by `nocite:` (a string or a list of strings); `*` stands for every entry."""
    value = front_matter.get("nocite")
    items = value if isinstance(value, list) else [value] if value is not None else []
    keys: list[str] = []
    for item in items:
        text = str(item)
        keys += ["*"] * len(re.findall(r"(?<![\w\\])@\*", text))
        keys += [ref.key for ref in scan_masked(text) if ref.kind == "citation"]
    return keys
