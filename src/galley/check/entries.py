"""Rules about single bibliography entries: required fields, DOIs, ISBNs, URLs and dates; and
`duplicate-entry`, two entries for one work."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

from galley.reading.bibliography import Entry
from galley.util.findings import Finding

# Each inner tuple is "one of these"; every tuple must be satisfied.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (("author",), ("title",), ("journal", "journaltitle"), ("year", "date")),
    "book": (("author", "editor"), ("title",), ("publisher",), ("year", "date")),
    "inbook": (
        ("author", "editor"),
        ("title",),
        ("booktitle", "chapter", "pages"),
        ("year", "date"),
    ),
    "incollection": (("author",), ("title",), ("booktitle",), ("year", "date")),
    "inproceedings": (("author",), ("title",), ("booktitle",), ("year", "date")),
    "conference": (("author",), ("title",), ("booktitle",), ("year", "date")),
    "phdthesis": (("author",), ("title",), ("school", "institution"), ("year", "date")),
    "mastersthesis": (("author",), ("title",), ("school", "institution"), ("year", "date")),
    "thesis": (("author",), ("title",), ("school", "institution"), ("year", "date")),
    "techreport": (("author", "institution"), ("title",), ("institution",), ("year", "date")),
    "report": (("author", "institution"), ("title",), ("institution",), ("year", "date")),
    "online": (("title",), ("year", "date"), ("url",)),
    "electronic": (("title",), ("year", "date"), ("url",)),
    "www": (("title",), ("year", "date"), ("url",)),
    "unpublished": (("author",), ("title",)),
}
WITH_URL = (("title",), ("year", "date"), ("url",))
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
YEAR = re.compile(r"^\d{4}[a-z]?$")
# BibLaTeX/EDTF dates: 2001, 2001-05, 2001-05-17, and ranges 2001/2003 or 2001/.
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
YEAR_WORDS = {"in press", "forthcoming", "n.d.", "nd", "no date"}
DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def _required(entry: Entry) -> tuple[tuple[str, ...], ...]:
    if entry.type in REQUIRED:
        return REQUIRED[entry.type]
    if "url" in entry.fields:
        return WITH_URL
    return (("title",),)


def missing_field(entry: Entry) -> list[Finding]:
    findings = []
    for options in _required(entry):
        if not any(entry.fields.get(name, "").strip() for name in options):
            wanted = " or ".join(f"`{name}`" for name in options)
            findings.append(
                Finding(
                    "missing-field",
                    entry.path,
                    entry.line,
                    f"@{entry.type} entry `{entry.key}` has no {wanted}",
                    f"add {wanted} to the entry (APA needs it), or change the entry type",
                    key=entry.key,
                )
            )
    return findings


def bad_doi(entry: Entry) -> list[Finding]:
    doi = entry.fields.get("doi")
    if doi is None or DOI.match(doi):
        return []
    bare = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.IGNORECASE)
    fix = (
        f"write the bare DOI: doi = {{{bare}}}"
        if bare != doi and DOI.match(bare)
        else "a DOI looks like 10.1234/abc (no spaces); copy it from the publisher's page"
    )
    return [
        Finding(
            "bad-doi",
            entry.path,
            entry.where("doi"),
            f"entry `{entry.key}`: `{doi}` is not a DOI",
            fix,
            key=entry.key,
        )
    ]


def isbn_valid(isbn: str) -> bool:
    digits = re.sub(r"[\s-]", "", isbn).upper()
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if re.fullmatch(r"\d{13}", digits):
        total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(digits))
        return total % 10 == 0
    return False


def bad_isbn(entry: Entry) -> list[Finding]:
    value = entry.fields.get("isbn")
    if value is None:
        return []
    return [
        Finding(
            "bad-isbn",
            entry.path,
            entry.where("isbn"),
            f"entry `{entry.key}`: ISBN `{isbn}` fails its checksum or has the wrong length",
            "copy the ISBN again from the book or the publisher's catalogue",
            key=entry.key,
        )
        for isbn in re.split(r"[;,]\s*|\s+(?=\d{3})", value.strip())
        if isbn and not isbn_valid(isbn)
    ]


def url_problem(url: str) -> str | None:
    if re.search(r"\s", url):
        return "contains a space"
    parts = urlsplit(url)
    if not parts.scheme:
        return "has no scheme (https://)"
    if parts.scheme in ("http", "https", "ftp") and not parts.netloc:
        return "has no host"
    return None


def bad_url(entry: Entry) -> list[Finding]:
    url = entry.fields.get("url")
    problem = None if url is None else url_problem(url)
    if url is None or problem is None:
        return []
    return [
        Finding(
            "bad-url",
            entry.path,
            entry.where("url"),
            f"entry `{entry.key}`: URL `{url}` {problem}",
            "write the full address, such as https://example.org/page, with %20 for spaces",
            key=entry.key,
            url=url,
        )
    ]


def _date_ok(value: str) -> bool:
    for part in value.split("/"):
        if part in ("", ".."):
            continue
        match = DATE.match(part)
        if not match:
            return False
        month, day = match[2], match[3]
        if month and not 1 <= int(month) <= 12:
            return False
        if month and day and not 1 <= int(day) <= DAYS[int(month) - 1]:
            return False
    return bool(value.strip("/"))


def bad_date(entry: Entry) -> list[Finding]:
    findings = []
    for name, ok, fix in (
        (
            "year",
            lambda v: bool(YEAR.match(v)) or v.lower() in YEAR_WORDS,
            "write four digits: 2001",
        ),
        ("date", _date_ok, "write an ISO date: 2001, 2001-05 or 2001-05-17 (ranges: 2001/2003)"),
        ("urldate", _date_ok, "write an ISO date: 2024-05-17"),
    ):
        value = entry.fields.get(name)
        if value is not None and not ok(value.strip()):
            findings.append(
                Finding(
                    "bad-date",
                    entry.path,
                    entry.where(name),
                    f"entry `{entry.key}`: {name} `{value}` is not a valid date",
                    fix,
                    key=entry.key,
                )
            )
    return findings


ENTRY_RULES = (missing_field, bad_doi, bad_isbn, bad_url, bad_date)


def plain(text: str) -> str:
    """Lower case ASCII letters and digits only: `{\\"U}ber {A}lles` and `Über alles` agree."""
    text = re.sub(r"\\[a-zA-Z]+\s*|\\.", "", text)
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", text.casefold().encode("ascii", "ignore").decode())


def family_names(authors: str) -> list[str]:
    """Family names in a BibTeX author list (`Last, First and First Last and {Org Name}`)."""
    names = []
    for person in re.split(r"\s+and\s+", authors.strip()):
        person = person.strip()
        if not person:
            continue
        if person.startswith("{") and person.endswith("}"):
            names.append(person[1:-1])
        elif "," in person:
            names.append(person.split(",")[0])
        else:
            names.append(person.split()[-1])
    return names


def _year(entry: Entry) -> str:
    return entry.fields.get("year") or entry.fields.get("date", "")[:4]


def duplicate_entries(entries: Iterable[Entry]) -> list[Finding]:
    findings = []
    seen: dict[tuple[str, ...], Entry] = {}
    for entry in entries:
        marks: list[tuple[str, ...]] = []
        if entry.fields.get("doi"):
            marks.append(("doi", entry.fields["doi"].casefold()))
        authors = family_names(entry.fields.get("author") or entry.fields.get("editor", ""))
        title = plain(entry.fields.get("title", ""))
        if authors and title:
            marks.append(("work", plain(authors[0]), title, _year(entry)))
        for mark in marks:
            earlier = seen.setdefault(mark, entry)
            if earlier is not entry:
                what = (
                    "the same DOI" if mark[0] == "doi" else "the same first author, title and year"
                )
                findings.append(
                    Finding(
                        "duplicate-entry",
                        entry.path,
                        entry.line,
                        f"entries `{earlier.key}` ({earlier.path}:{earlier.line}) and "
                        f"`{entry.key}` have {what}",
                        f"keep one entry and cite `{earlier.key}` where `{entry.key}` is cited",
                        key=entry.key,
                    )
                )
                break
    return findings
