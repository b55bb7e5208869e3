"""The labels a document defines: every explicit `{#id}`, and those of them that Quarto
cross-references (`fig-…`, `tbl-…`, `sec-…`, `eq-…`…).

A label is defined by an attribute (`{#fig-x}` on an image, a div `::: {#fig-x}`, a heading
`# Methods {#sec-methods}`, a table caption `: Caption {#tbl-x}`, an equation `$$…$$ {#eq-x}`),
by a code cell's `#| label: fig-x`, or by embedding a notebook cell `{{< embed nb.ipynb#fig-x >}}`.
"""

from __future__ import annotations

import re

from galley.reading.citations import crossref_label
from galley.reading.documents import Document
from galley.reading.markdown import LineIndex
from galley.reading.shortcodes import blank_shortcodes

ATTRIBUTES = re.compile(r"(?<!\{)\{(?P<attrs>[^{}\n]*)\}")
IDENTIFIER = re.compile(r"(?:^|\s)#(?P<id>[^\s}#]+)")
EMBED = re.compile(r"\{\{<\s*embed\s+[^\s>#]*#(?P<id>[^\s>]+)")


def identifiers(document: Document) -> list[tuple[str, int]]:
    """Every explicit `{#id}` and embedded cell label in a document, with its line."""
    index = LineIndex(document.masked.text)
    found = []
    # A shortcode in an attribute value (`fig-alt="{{< var x >}}"`, which Quarto expands there
    # too): its braces must not end the attribute block before the label is read.
    text = blank_shortcodes(document.masked.text, "x")  # same offsets
    for match in ATTRIBUTES.finditer(text):
        for ident in IDENTIFIER.finditer(match["attrs"]):
            found.append((ident["id"], index.position(match.start())[0]))
    for match in EMBED.finditer(document.masked.text):
        found.append((match["id"], index.position(match.start())[0]))
    return found + list(document.code_labels)


def labels(document: Document) -> list[tuple[str, int]]:
    """The cross-reference labels (`fig-…`, `tbl-…`, `sec-…`, `eq-…`…) a document defines."""
    return [(name, line) for name, line in identifiers(document) if crossref_label(name) == name]
