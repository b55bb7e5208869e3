"""The bibliography as written, read by bibtexparser (galley's one BibTeX reader): entries with
the file and line of each, and the problems of the file as a whole (`bib-syntax`,
`duplicate-key`). galley.reading.bibliography_cut makes the cited-only copy pandoc reads.

bibtexparser v2 counts lines from 0; every line here counts from 1, as editors do.

Two things are read as BibTeX, biber and pandoc read them, not as bibtexparser would: a balanced
`@comment{…}` is skipped whole (bibtexparser would start a block at an `@type{` line inside it),
and an @string or field whose parts, @strings expanded, exceed MAX_EXPANDED characters is a
`bib-syntax` problem (41 @strings, each the one before twice, would ask pandoc for 4 GB).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from bibtexparser.entrypoint import parse_string
from bibtexparser.model import DuplicateBlockKeyBlock, ParsingFailedBlock, String
from bibtexparser.model import Entry as RawEntry

from galley.errors import ConfigError
from galley.util.findings import Finding
from galley.util.textfile import read_utf8


@dataclass(frozen=True)
class Entry:
    key: str
    type: str  # lower case: article, book, online…
    fields: dict[str, str]  # field names in lower case, outer braces or quotes removed
    path: str  # relative to the project
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)

    def where(self, name: str | None = None) -> int:
        """The line of field `name` when it is present, else the entry's first line."""
        return self.field_lines.get(name, self.line) if name else self.line


@dataclass(frozen=True)
class Bibliography:
    entries: tuple[Entry, ...]
    findings: tuple[Finding, ...]  # bib-syntax and duplicate-key


def _line(start: int | None) -> int:
    return (start or 0) + 1


def _unwrap(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and (value[0], value[-1]) in (("{", "}"), ('"', '"')):
        return value[1:-1].strip()
    return value


def _entry(raw: RawEntry, rel: str) -> Entry:
    fields: dict[str, str] = {}
    lines: dict[str, int] = {}
    for item in raw.fields:
        name = item.key.lower()
        fields[name] = _unwrap(str(item.value))
        lines[name] = _line(item.start_line or raw.start_line)
    return Entry(raw.key, raw.entry_type.lower(), fields, rel, _line(raw.start_line), lines)


def read_text(path: Path) -> str:
    """The file's text; an unreadable bibliography is a configuration error, never skipped."""
    if not path.exists():
        raise ConfigError("bibliography file not found; fix `bibliography:`", path=path)
    return read_utf8(path, error=ConfigError)


# BibTeX's predefined strings (each three letters long); every other one must be defined by an
# earlier @string.
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
QUOTED_OR_NUMBER = re.compile(r'\s*(?:\{.*\}|".*"|\d+)\s*', re.DOTALL)
MAX_EXPANDED = 1_000_000  # characters of one @string or field, its @strings expanded
# A comment block where bibtexparser would start a block: `@comment{` or `@comment(` at a line's
# start (after spaces or tabs).
COMMENT_START = re.compile(r"^[ \t]*@comment[ \t]*([{(])", re.IGNORECASE | re.MULTILINE)
BRACES, PARENTHESES = re.compile(r"[{}]"), re.compile(r"[()]")


def without_comments(text: str) -> str:
    """`text` with each balanced `@comment{…}` (or `@comment(…)`) blanked, its line breaks kept
    so that every line keeps its number; an unbalanced one is left for bibtexparser to report."""
    parts, done = [], 0
    for start in COMMENT_START.finditer(text):
        if start.start() < done:
            continue  # inside the comment blanked before
        brackets = BRACES if start[1] == "{" else PARENTHESES
        depth, end = 0, -1
        for bracket in brackets.finditer(text, start.start(1)):
            depth += 1 if bracket[0] in "{(" else -1
            if depth == 0:
                end = bracket.end()
                break
        if end < 0:
            break  # unbalanced to the end of the file, and so is every later one
        parts += [text[done : start.start()], re.sub(r"[^\n]", " ", text[start.start() : end])]
        done = end
    return "".join(parts) + text[done:]


def _expanded_length(value: str, lengths: dict[str, int]) -> int:
    """How long `value` (`a # "b" # {c}`) is with its @strings expanded (an unknown one as its
    name: it is reported on its own)."""
    total = 0
    for part in _concatenated(value):
        name = part.strip()
        if QUOTED_OR_NUMBER.fullmatch(part):
            total += len(name) - (0 if name.isdigit() else 2)
        else:
            total += lengths.get(name.casefold(), len(name))
    return total


TOO_LONG_FIX = "write the value out, or use fewer copies of the @strings in it"


def _too_long(what: str, length: int, rel: str, line: int) -> Finding:
    return Finding(
        "bib-syntax",
        rel,
        line,
        f"{what} expands to {length:,} characters with its @strings, more than galley's limit "
        f"of {MAX_EXPANDED:,} (pandoc would hold every copy in memory)",
        TOO_LONG_FIX,
    )


def _string_references(block: String, lengths: dict[str, int], rel: str) -> list[Finding]:
    """`bib-syntax` for an @string that uses a string not defined before it: BibTeX reads
    strings in order, so this is a typo, a forward reference or a loop (`a = b`, `b = a`); or
    one that expands beyond MAX_EXPANDED. Records its expanded length in `lengths`."""
    raw = block.raw if isinstance(block.raw, str) else ""
    body = raw[raw.find("=") + 1 :].rstrip() if "=" in raw else ""
    body = body[:-1] if body.endswith(("}", ")")) else body  # the block's closing bracket
    findings = []
    length = _expanded_length(body, lengths)
    if length > MAX_EXPANDED:
        findings.append(_too_long(f"@string `{block.key}`", length, rel, _line(block.start_line)))
    for part in _concatenated(body):
        name = part.strip()
        if QUOTED_OR_NUMBER.fullmatch(part) or not name or name.casefold() in lengths:
            continue
        findings.append(
            Finding(
                "bib-syntax",
                rel,
                _line(block.start_line),
                f"@string `{block.key}` uses `{name}`, which no earlier @string defines "
                "(BibTeX reads strings in order, so this is a typo, or a loop if they refer to "
                "each other)",
                f"define `{name}` above it, or write the value in braces: {{...}}",
            )
        )
    # One that is too long is reported once: the @strings built on it are not reported again.
    lengths[block.key.casefold()] = length if length <= MAX_EXPANDED else 0
    return findings


def _concatenated(value: str) -> list[str]:
    """The parts of a `a # "b" # {c}` value, split at `#` outside braces and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(value[start:index])
            start = index + 1
    return [*parts, value[start:]]


def parse_bibliography(text: str, rel: str) -> Bibliography:
    # bibtexparser logs each syntax error as a warning; here it becomes a finding instead.
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        library = parse_string(without_comments(text))
    finally:
        logger.setLevel(level)
    entries: list[Entry] = []
    findings: list[Finding] = []
    first: dict[str, Entry] = {}
    lengths = dict.fromkeys(MONTHS, 3)
    for block in library.blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            raw = block.ignore_error_block
            entry = _entry(raw, rel) if isinstance(raw, RawEntry) else None
            if entry is None:
                continue
        elif isinstance(block, ParsingFailedBlock):
            text = getattr(block.error, "abort_reason", None) or str(block.error)
            reason = next(iter(text.strip().splitlines()), "syntax error")
            findings.append(
                Finding(
                    "bib-syntax",
                    rel,
                    _line(block.start_line),
                    f"this block does not parse: {reason}",
                    "check braces, quotes and the commas between fields; galley skipped the block",
                )
            )
            continue
        elif isinstance(block, String):
            findings += _string_references(block, lengths, rel)
            continue
        elif isinstance(block, RawEntry):
            entry = _entry(block, rel)
            findings += _long_fields(block, entry, lengths)
        else:
            continue
        earlier = first.get(entry.key.casefold())
        if earlier is not None:
            findings.append(
                Finding(
                    "duplicate-key",
                    rel,
                    entry.line,
                    f"entry `{entry.key}` is defined twice (first as `{earlier.key}` at "
                    f"{earlier.path}:{earlier.line}; BibTeX keys ignore case)",
                    "rename or delete one of them",
                    key=entry.key,
                )
            )
            continue
        first[entry.key.casefold()] = entry
        entries.append(entry)
    return Bibliography(tuple(entries), tuple(findings))


def _long_fields(raw: RawEntry, entry: Entry, lengths: dict[str, int]) -> list[Finding]:
    found = []
    for item in raw.fields:
        length = _expanded_length(str(item.value), lengths)
        if length > MAX_EXPANDED:
            name = item.key.lower()
            what = f"field `{name}` of `{entry.key}`"
            found.append(_too_long(what, length, entry.path, entry.where(name)))
    return found


def entry_keys(text: str, rel: str) -> set[str]:
    """The keys of the entries in a BibTeX file, as galley reads them everywhere (bibtexparser)."""
    return {entry.key for entry in parse_bibliography(text, rel).entries}


def merge(parts: list[Bibliography]) -> Bibliography:
    """Several bibliography files as one: a key in two files is a `duplicate-key` too."""
    entries: list[Entry] = []
    findings: list[Finding] = []
    first: dict[str, Entry] = {}
    for part in parts:
        findings += part.findings
        for entry in part.entries:
            earlier = first.get(entry.key.casefold())
            if earlier is None:
                first[entry.key.casefold()] = entry
                entries.append(entry)
                continue
            findings.append(
                Finding(
                    "duplicate-key",
                    entry.path,
                    entry.line,
                    f"entry `{entry.key}` is defined twice (first at {earlier.path}:{earlier.line})",
                    "rename or delete one of them",
                    key=entry.key,
                )
            )
    return Bibliography(tuple(entries), tuple(findings))
