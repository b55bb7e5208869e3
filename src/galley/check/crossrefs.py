"""Quarto cross-references: `undefined-crossref` and `duplicate-label`, over the labels the
documents define (galley.reading.labels) and the references pandoc reads (galley.reading.uses)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from galley.reading.documents import Document
from galley.reading.labels import labels
from galley.reading.uses import Use
from galley.util.findings import Finding

Place = tuple[str, int, int | None]  # path, line, notebook cell


def crossref_findings(
    documents: Iterable[Document], uses: Iterable[Use], pending: Iterable[Path] = ()
) -> list[Finding]:
    """Labels defined twice in one scope, and references to labels no document defines.

    `pending` are included files that a build step has yet to generate: a reference to a label
    named like one of them (`@tbl-summary` for `figures/tbl-summary.md`) is taken on trust.
    """
    groups: dict[str, list[Document]] = defaultdict(list)
    for document in documents:
        groups[document.group].append(document)
    references: dict[str, list[Use]] = defaultdict(list)
    for use in uses:
        if use.kind == "crossref":
            references[use.group].append(use)
    trusted = {path.stem for path in pending}
    findings: list[Finding] = []
    for group, members in groups.items():
        defined: dict[str, Place] = {}
        for document in members:
            for label, line in labels(document):
                first = defined.setdefault(label, (document.rel, line, document.cell))
                if first != (document.rel, line, document.cell):
                    findings.append(
                        Finding(
                            "duplicate-label",
                            document.rel,
                            line,
                            f"label `{label}` is defined twice (first at {first[0]}:{first[1]})",
                            "rename one of them and update the references to it",
                            label=label,
                            cell=document.cell,
                        )
                    )
        for ref in references[group]:
            if ref.key in defined or ref.key in trusted:
                continue
            findings.append(
                Finding(
                    "undefined-crossref",
                    ref.path,
                    ref.line,
                    f"cross-reference `@{ref.key}` points to no label (Quarto shows ?@{ref.key})",
                    f"add `{{#{ref.key}}}` to the figure, table, section or equation, "
                    "or correct the reference",
                    label=ref.key,
                    cell=ref.cell,
                )
            )
    return findings
