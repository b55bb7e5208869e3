"""`prose-citation`: an author–year citation typed by hand, which pandoc cannot link, format or
check: "(Newman, 2001)", "Krasner (1983)", "Wendt's (1992)", "(BNN, 2024)", "Buzan & Wæver
(2003)". Each finding names the entries it probably means.

Not fooled by "(version 2, 2024 edition)" (no name before the year), "(March 3, 2024)" (a date),
or "World Drug Report (2023)" (a title: a capitalised phrase whose last word is nobody's name).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from galley.check.entries import family_names, plain
from galley.reading.bibliography import Entry
from galley.reading.markdown import LineIndex
from galley.util.findings import Finding

PARTICLE = r"(?:(?:van|von|de|der|den|da|di|du|la|le|al|el|bin|ibn|dos|das)\s+)"
UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f"  # Latin capitals (and Latin Extended-A)
NAME = rf"{PARTICLE}*[{UPPER}][\w-]*(?:['’][^\W\d_]+)?"
AUTHORS = rf"{NAME}(?:(?:,\s*|,?\s+(?:&|and)\s+){NAME})*(?:,?\s+et\s+al\.?)?"
YEAR = r"\d{4}[a-z]?"
PAREN = re.compile(r"\((?P<body>[^()\n]{1,300})\)")
PART = re.compile(
    rf"^\s*(?:(?:see|cf\.|e\.g\.,?)\s+)?(?P<authors>{AUTHORS}),?\s+(?P<year>{YEAR})"
    r"(?:,\s*(?:pp?\.|para\.|chap\.)\s*[^;]*)?\s*$"
)
NARRATIVE = re.compile(
    rf"(?<![\w@-])(?P<authors>{AUTHORS})\s+\((?P<year>{YEAR})(?:,\s*pp?\.[^)]*)?\)"
)
NOT_NAMES = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "spring",
        "summer",
        "autumn",
        "fall",
        "winter",
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "since",
        "during",
        "until",
        "after",
        "before",
        "this",
        "that",
        "these",
        "those",
        "figure",
        "table",
        "section",
        "chapter",
        "version",
        "edition",
        "volume",
        "page",
        "see",
        "and",
        "or",
        "of",
        "to",
    ]
)


def _authors(text: str) -> list[str]:
    names = re.split(r",\s*|\s+(?:&|and)\s+|,?\s+et\s+al\.?", text)
    out = []
    for name in names:
        name = re.sub(r"['’]s$", "", name.strip())
        if name:
            out.append(name.split()[-1])
    return out


def _looks_like_names(names: list[str]) -> bool:
    return bool(names) and all(
        n[0].isupper() and n.casefold() not in NOT_NAMES and not n[-1].isdigit() for n in names
    )


def _candidates(names: list[str], year: str, entries: Iterable[Entry]) -> list[str]:
    first = plain(names[0])
    keys = []
    for entry in entries:
        entry_year = entry.fields.get("year") or entry.fields.get("date", "")[:4]
        if entry_year[:4] != year[:4]:
            continue
        people = entry.fields.get("author") or entry.fields.get("editor", "")
        families = {plain(f) for f in family_names(people)}
        words = {
            plain(w) for w in re.findall(r"\w+", people + " " + entry.fields.get("shortauthor", ""))
        }
        if first in families or (names[0].isupper() and first in words):
            keys.append(entry.key)
    return keys


def _finding(
    text: str, names: list[str], year: str, entries: list[Entry], where: tuple[str, int]
) -> Finding:
    keys = _candidates(names, year, entries)
    if len(keys) == 1:
        fix = f"write [@{keys[0]}] so pandoc formats and links it"
    elif keys:
        fix = "ambiguous: one of " + ", ".join(f"[@{k}]" for k in keys) + "; write the right one"
    else:
        fix = "no bibliography entry matches; add one and cite it as [@key]"
    return Finding(
        "prose-citation",
        where[0],
        where[1],
        f"`{text}` is a citation typed by hand",
        fix,
        key=keys[0] if len(keys) == 1 else None,
    )


def author_families(entries: Iterable[Entry]) -> set[str]:
    """The family names of every entry's authors, as `plain` spells them: read once for all the
    documents (per document, a book's 2,200 entries took most of `galley check`)."""
    return {plain(f) for e in entries for f in family_names(e.fields.get("author", ""))}


def prose_citations(
    masked_text: str, path: str, entries: list[Entry], known: set[str], line_offset: int = 0
) -> list[Finding]:
    """`known`: author_families(entries)."""
    index = LineIndex(masked_text)
    findings = []
    taken: list[tuple[int, int]] = []
    for match in PAREN.finditer(masked_text):
        for part in match["body"].split(";"):
            hit = PART.match(part)
            if hit and _looks_like_names(names := _authors(hit["authors"])):
                line = index.position(match.start())[0] + line_offset
                findings.append(_finding(match[0], names, hit["year"], entries, (path, line)))
                taken.append(match.span())
                break
    for match in NARRATIVE.finditer(masked_text):
        if any(a <= match.start("year") < b for a, b in taken):
            continue
        names = _authors(match["authors"])
        if not _looks_like_names(names):
            continue
        # A capitalised word right before the "author" makes it a title ("World Drug Report
        # (2023)") unless the name is an author in the bibliography.
        before = masked_text[max(0, match.start() - 40) : match.start()].split()
        if before and before[-1][:1].isupper() and plain(names[0]) not in known:
            continue
        line = index.position(match.start())[0] + line_offset
        findings.append(_finding(match[0], names, match["year"], entries, (path, line)))
    return findings
