"""Quarto cross-references: the labels a document defines and the rules about them
(`undefined-crossref`, `duplicate-label`).

A label is defined by an attribute (`{#fig-x}` on an image, a div `::: {#fig-x}`, a heading
`# Methods {#sec-methods}`, a table caption `: Caption {#tbl-x}`, an equation `$$…$$ {#eq-x}`),
by a code cell's `#| label: fig-x`, or by embedding a notebook cell `{{< embed nb.ipynb#fig-x >}}`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from galley.findings import Finding
from galley.reading.citations import crossref_label
from galley.reading.documents import Document
from galley.reading.markdown import LineIndex
from galley.reading.uses import Use

ATTRIBUTES = re.compile(r"(?<!\{)\{(?P<attrs>[^{}\n]*)\}")
IDENTIFIER = re.compile(r"(?:^|\s)#(?P<id>[^\s}#]+)")
EMBED = re.compile(r"\{\{<\s*embed\s+[^\s>#]*#(?P<id>[^\s>]+)")
# A shortcode in an attribute value (`fig-alt="{{< var x >}}"`, which Quarto expands there too):
# its braces must not end the attribute block before the label is read.
SHORTCODE = re.compile(r"\{\{<.*?>\}\}")

Place = tuple[str, int, int | None]  # path, line, notebook cell


def identifiers(document: Document) -> list[tuple[str, int]]:
    """Every explicit `{#id}` and embedded cell label in a document, with its line."""
    index = LineIndex(document.masked.text)
    found = []
    text = SHORTCODE.sub(lambda m: "x" * len(m[0]), document.masked.text)  # same offsets
    for match in ATTRIBUTES.finditer(text):
        for ident in IDENTIFIER.finditer(match["attrs"]):
            found.append((ident["id"], index.position(match.start())[0]))
    for match in EMBED.finditer(document.masked.text):
        found.append((match["id"], index.position(match.start())[0]))
    return found + list(document.code_labels)


def labels(document: Document) -> list[tuple[str, int]]:
    """The cross-reference labels (`fig-…`, `tbl-…`, `sec-…`, `eq-…`…) a document defines."""
    return [(name, line) for name, line in identifiers(document) if crossref_label(name) == name]


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
