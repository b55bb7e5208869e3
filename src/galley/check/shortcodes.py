"""`unknown-var` and `unknown-meta`: a `{{< var >}}` that `_variables.yml` lacks, a `{{< meta >}}`
key the metadata lacks. Quarto renders them as a bold `?var:key` / `?meta:key` with a warning, and
so does `galley build` (galley.reading.sources); here they are errors, as the other slips Quarto
only warns about. Read as the build reads them: code blocks too, except those marked
`shortcodes="false"`, and never an escaped `{{{< … >}}}`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from galley.project import Project
from galley.reading.documents import Document
from galley.reading.markdown import front_matter_end
from galley.reading.metadata import shortcode_meta
from galley.reading.shortcodes import meta_value, replace_shortcodes
from galley.reading.sources import (
    FENCE,
    NO_SHORTCODES,
    SHORTCODE,
    VARIABLES_FILE,
    load_variables,
    lookup,
)
from galley.util.findings import Finding


def _single(value: Any) -> Any:
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def _expanded(line: str) -> list[re.Match[str]]:
    """The shortcodes of `line` the build expands, found by its own scan (so never an escaped
    `{{{< x >}}}`)."""
    found: list[re.Match[str]] = []

    def keep(match: re.Match[str]) -> str:
        found.append(match)
        return match[0]

    replace_shortcodes(line, SHORTCODE, keep)
    return found


def _shortcodes(document: Document) -> Iterable[tuple[str, str, int]]:
    """Each `var` and `meta` shortcode the build expands: (name, key, line)."""
    lines = document.text.split("\n")
    literal = in_code = False
    start = front_matter_end(lines) + 1 if front_matter_end(lines) else 0
    for number, line in enumerate(lines[start:], start=start + 1):
        fence = FENCE.match(line)
        if fence is not None:
            in_code = not in_code
            literal = in_code and bool(NO_SHORTCODES.search(fence["info"]))
            continue
        if literal:
            continue
        for match in _expanded(line):
            args = match["args"].split()
            if match["name"] in ("var", "meta") and args:
                yield match["name"], args[0], number


def shortcode_findings(
    project: Project,
    documents: Iterable[Document],
    front_matter: dict[str, Any],
    outputs: set[Path],
) -> list[Finding]:
    """The unknown `var` and `meta` keys of the article and its includes. While a build step has
    yet to write `_variables.yml`, its variables are taken on trust."""
    variables_path = (project.root / VARIABLES_FILE).resolve()
    pending = variables_path in outputs and not variables_path.is_file()
    variables = {} if pending else load_variables(project)
    meta = shortcode_meta({**project.config, **front_matter})
    findings = []
    for document in documents:
        if document.group != "article":
            continue
        for name, key, line in _shortcodes(document):
            if name == "var" and pending:
                continue
            value = _single(lookup(variables, key) if name == "var" else meta_value(meta, key))
            if value is None:
                where = (
                    f"define it in {VARIABLES_FILE}"
                    if name == "var"
                    else ("set it in the front matter or _quarto.yml")
                )
                message = f"unknown {name} `{key}` (Quarto and `galley build` show ?{name}:{key})"
                fix = f"{where}, or fix the name"
            elif isinstance(value, dict | list):
                message = f"{name} `{key}` is a {type(value).__name__}, not a single value"
                fix = "name one of its values (`key.part`)"
            else:
                continue
            findings.append(Finding(f"unknown-{name}", document.rel, line, message, fix))
    return findings
