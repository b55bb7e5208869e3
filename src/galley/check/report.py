"""Findings for people (`text`, grouped by file, with the fix), for programs (`json`) and for
GitHub Actions (`github`: workflow annotations)."""

from __future__ import annotations

import json
from collections import Counter
from itertools import groupby

from galley.util.findings import Finding, Severity


def summary(findings: list[Finding]) -> dict[str, object]:
    return {
        "errors": sum(f.severity is Severity.ERROR for f in findings),
        "warnings": sum(f.severity is Severity.WARNING for f in findings),
        "rules": dict(sorted(Counter(f.rule for f in findings).items())),
    }


def _where(finding: Finding) -> str:
    cell = f" (cell {finding.cell})" if finding.cell is not None else ""
    return f"{finding.path}:{finding.line}{cell}" if finding.line else f"{finding.path}{cell}"


def as_text(findings: list[Finding]) -> str:
    if not findings:
        return "galley check: no problems found\n"
    lines = []
    for path, group in groupby(findings, key=lambda f: f.path):
        lines.append(path)
        for finding in group:
            lines.append(
                f"  {_where(finding)}: {finding.severity}: {finding.message} [{finding.rule}]"
            )
            if finding.fix:
                lines.append(f"    fix: {finding.fix}")
    counts = summary(findings)
    lines.append(f"{counts['errors']} error(s), {counts['warnings']} warning(s)")
    return "\n".join(lines) + "\n"


def as_json(findings: list[Finding]) -> str:
    return (
        json.dumps(
            {"findings": [f.as_dict() for f in findings], "summary": summary(findings)},
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


def _escape(text: str, *, property_value: bool = False) -> str:
    # GitHub's workflow-command encoding.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def as_github(findings: list[Finding]) -> str:
    lines = []
    for f in findings:
        props = f"file={_escape(f.path, property_value=True)}"
        if f.line:
            props += f",line={f.line}"
        props += f",title={_escape(f.rule, property_value=True)}"
        message = f"{f.message}" + (f" — fix: {f.fix}" if f.fix else "")
        lines.append(f"::{f.severity} {props}::{_escape(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


FORMATS = {"text": as_text, "json": as_json, "github": as_github}
