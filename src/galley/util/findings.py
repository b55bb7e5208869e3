"""What a check reports: a finding with a stable rule code, a severity, a place and a fix."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


# The rule codes are a stable interface (scripts and CI match on them); each has one severity.
RULES: dict[str, Severity] = {
    "missing-key": Severity.ERROR,
    "unused-entry": Severity.WARNING,
    "duplicate-key": Severity.ERROR,
    "duplicate-entry": Severity.WARNING,
    "missing-field": Severity.ERROR,
    "bad-doi": Severity.ERROR,
    "bad-isbn": Severity.ERROR,
    "bad-url": Severity.ERROR,
    "bad-date": Severity.ERROR,
    "bib-syntax": Severity.ERROR,
    "prose-citation": Severity.WARNING,
    "undefined-crossref": Severity.ERROR,
    "unknown-var": Severity.ERROR,
    "unknown-meta": Severity.ERROR,
    "duplicate-label": Severity.ERROR,
    "unrenderable-entry": Severity.ERROR,
    "broken-link": Severity.ERROR,
    "redirected-link": Severity.WARNING,
    "missing-file": Severity.ERROR,
    "missing-anchor": Severity.ERROR,
    "include-cycle": Severity.ERROR,
    "include-outside": Severity.ERROR,
    "outside-project": Severity.ERROR,
    "missing-alt-text": Severity.ERROR,
    "skipped-heading-level": Severity.ERROR,
    "bad-data": Severity.ERROR,
    "data-markup": Severity.WARNING,
}


@dataclass(frozen=True)
class Finding:
    rule: str
    path: str
    line: int | None
    message: str
    fix: str = ""
    key: str | None = None
    label: str | None = None
    url: str | None = None
    cell: int | None = None

    @property
    def severity(self) -> Severity:
        return RULES[self.rule]

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "severity": str(self.severity),
            "path": self.path,
            "line": self.line,
            "message": self.message,
            "fix": self.fix,
        }
        for name in ("key", "label", "url", "cell"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return data

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.cell or 0, self.line or 0, self.rule)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
