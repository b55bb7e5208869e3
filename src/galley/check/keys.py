"""`missing-key` and `unused-entry`: citations against the bibliography's keys."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from galley.reading.uses import Use
from galley.util.findings import Finding


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
