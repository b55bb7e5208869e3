"""Citations of keys the bibliography lacks, marked in the PDF as Quarto marks them in the HTML
(a bold `key?`) rather than failing Typst's compile, with a warning at the key's line.

With Typst's own citations pandoc writes `@key`, `@key[p. 3]` or `#cite(<key>, form: ...)`; Typst
then stops with "citation key `key` is not present in the bibliography", or, for `@key`, "label
`<key>` does not exist in the document".
"""

from __future__ import annotations

import re
from pathlib import Path

from galley.engines.typst_failures import MISSING_KEY, MISSING_LABEL, Failure, where_shown
from galley.engines.typst_values import typst_string
from galley.project import Project
from galley.reading.sources import Source


def mark_missing_citations(
    project: Project, source: Source, typ: Path, failure: Failure
) -> list[str]:
    """Each citation of a key the bibliography lacks (`@x`, `@x[p. 3]`, `#cite(<x>, ...)`),
    turned into a bold `x?` in the .typ, as Quarto marks it in the HTML, with a warning at the
    key's line. An empty list when there is none."""
    text = typ.read_text(encoding="utf-8")
    keys = MISSING_KEY.findall(failure.diagnostic) + [
        label for label in MISSING_LABEL.findall(failure.diagnostic) if source.locate("@" + label)
    ]
    warnings = []
    for key in dict.fromkeys(keys):
        marked = _without_citations(text, key, f"#strong({typst_string(key + '?')})")
        if marked == text:
            continue
        text = marked
        bibs = ", ".join(project.rel(b) for b in project.bibliographies) or "no bibliography"
        warnings.append(
            f"galley: warning: {where_shown(project, source.locate('@' + key))}: citation key "
            f"`@{key}` is not in the bibliography ({bibs}); the PDF shows {key}? in its place; "
            "add the entry or fix the key"
        )
    if warnings:
        typ.write_text(text, encoding="utf-8")
    return warnings


def _without_citations(text: str, key: str, mark: str) -> str:
    """`text` with every citation of `key` pandoc writes replaced by `mark`."""
    # `@key` ends where a label character does not follow (a final `.` or `:` is the text's).
    reference = re.compile(rf"(?<!\\)@{re.escape(key)}(?![\w-]|[:.][\w-])")
    cite = f"#cite(<{key}>"
    out: list[str] = []
    at = 0
    while True:
        found = [i for i in (text.find(cite, at), _search(reference, text, at)) if i >= 0]
        if not found:
            return "".join([*out, text[at:]])
        start = min(found)
        if text.startswith(cite, start):
            end = _closing(text, start + len("#cite"))
        else:
            end = start + 1 + len(key)
            if text.startswith("[", end):  # a supplement: `@key[p. 3]`
                end = _closing(text, end)
        out += [text[at:start], mark]
        at = end


def _search(pattern: re.Pattern[str], text: str, at: int) -> int:
    match = pattern.search(text, at)
    return match.start() if match else -1


def _closing(text: str, start: int) -> int:
    """The index after the bracket closing the one at `start`, strings skipped."""
    depth, index, quoted = 0, start, False
    while index < len(text):
        char = text[index]
        if quoted:
            if char == "\\":
                index += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return len(text)
