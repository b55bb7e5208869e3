"""Pandoc citations in Markdown: a scanner the checker and the build share, and the key rules.

The syntax is pandoc's: `[@a; @b, p. 3]`, `@a`, `[-@a]`, `@{odd key}`; a key starts with a
letter, digit or `_` and may hold internal punctuation (`:.#$%&-+?<>~/`) followed by a word
character, so `@a.` cites `a`. `@fig-x`, `@tbl-x`, `@sec-x`, `@eq-x` (and Quarto's other
prefixes) are cross-references. Code, comments, `\\@`, e-mail addresses and URLs never cite.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from galley.findings import Finding
from galley.reading.markdown import LineIndex, blank, mask

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
# Places where `@` is part of something else: URLs, autolinks, Quarto shortcodes.
NOT_PROSE = re.compile(r"<[A-Za-z][\w+.-]*:[^>\s]*>|\b[A-Za-z][\w+.-]*://[^\s)\]>]*|\{\{<.*?>\}\}")

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
    text = NOT_PROSE.sub(lambda m: blank(m[0]), text)
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


@dataclass(frozen=True)
class Use:
    """One citation where it stands: the file (relative to the project), line and notebook cell."""

    key: str
    path: str
    line: int
    cell: int | None = None


def missing_keys(uses: Iterable[Use], keys: Iterable[str]) -> list[Finding]:
    """`missing-key`: a cited key that no bibliography entry defines (keys are case-sensitive)."""
    known = set(keys)
    by_fold = {key.casefold(): key for key in known}
    findings = []
    for use in uses:
        if use.key in known:
            continue
        same_but_case = by_fold.get(use.key.casefold())
        close = [same_but_case] if same_but_case else difflib.get_close_matches(use.key, known, 3)
        fix = (
            f"did you mean {', '.join(f'`@{c}`' for c in close)}? Otherwise add an entry "
            f"`{use.key}` to the bibliography"
            if close
            else f"add an entry `{use.key}` to the bibliography, or correct the key"
        )
        message = f"citation `@{use.key}` has no entry in the bibliography"
        findings.append(
            Finding("missing-key", use.path, use.line, message, fix, key=use.key, cell=use.cell)
        )
    return findings


def unused_entries(
    entries: Iterable[tuple[str, str, int]], cited: Iterable[str], nocite: Iterable[str]
) -> list[Finding]:
    """`unused-entry`: an entry (key, path, line) that no citation or `nocite` uses."""
    used = set(cited) | set(nocite)
    if "*" in used:
        return []
    return [
        Finding(
            "unused-entry",
            path,
            line,
            f"entry `{key}` is not cited",
            f"cite it (`[@{key}]`), list it under `nocite:` in the front matter, or delete it",
            key=key,
        )
        for key, path, line in entries
        if key not in used
    ]
