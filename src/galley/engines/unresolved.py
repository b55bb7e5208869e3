"""What a render found pointing nowhere, as the build's warnings with file, line and a "did you
mean": a citation of a key the bibliography lacks (rendered **key?**, as pandoc's citeproc and
Quarto do), a cross-reference to no label (**?@fig-x**, as Quarto's `crossref/refs.lua`), a link
to a `#anchor` no element has. Quarto warns and writes its outputs; so does `galley build`.
`galley check` reports the same as errors (`missing-key`, `undefined-crossref`,
`missing-anchor`), and `galley build --strict` fails on them.

The render says what is missing (pandoc's citeproc, missing-citations.lua, crossref.lua and
anchors.lua write it on stderr); the places come from pandoc's own reading of the citations
(galley.reading.uses) and the sources' line map, read only when something is missing.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from galley.project import Project
from galley.reading.sources import Source
from galley.util import notices

if TYPE_CHECKING:
    from galley.reading.citations import CitationRef

MISSING_CITATION = re.compile(r"Citeproc: citation (\S+) not found")  # pandoc's citeproc
MISSING_NATIVE_CITATION = re.compile(r"^galley-missing-citation\t(\S+)$", re.MULTILINE)
# conditional.lua's report of a cross-reference to content hidden in this format.
HIDDEN_CROSSREF = re.compile(r"^galley-hidden-crossref\t(\S+)$", re.MULTILINE)
UNRESOLVED_CROSSREF = re.compile(r"^galley-unresolved-crossref\t(\S+)$", re.MULTILINE)
# Quarto's own report of one (crossref/refs.lua: `warn("Unable to resolve crossref @" .. label)`).
QUARTO_UNRESOLVED_CROSSREF = re.compile(r"Unable to resolve crossref @(\S+)")
MISSING_ANCHOR = re.compile(r"^galley-missing-anchor\t(\S+)$", re.MULTILINE)
# What an unresolved `@thm-x`, `@eq-x`… should have pointed to, for its warning.
UNRESOLVED_TARGETS = {
    **dict.fromkeys(("thm", "lem", "cor", "prp", "cnj", "def", "exm", "exr"), "theorem"),
    **dict.fromkeys(("nte", "tip", "wrn", "imp", "cau"), "callout"),
    "rem": "remark", "sol": "solution", "eq": "equation", "lst": "listing",
}  # fmt: skip
# Keys as the bibliography files write them: `@book{key,` (BibTeX), `"id": "key"` (CSL JSON),
# `id: key` (CSL YAML). Only for suggestions: pandoc's citeproc decides what is missing.
BIB_KEY = re.compile(
    r"^[ \t]*@(?!comment|preamble|string)\w+[ \t]*[{(][ \t]*([^,\s{}()]+)", re.M | re.I
)
YAML_ID = re.compile(r"^[ \t]*-?[ \t]*id:[ \t]*[\"']?([^\"'\s]+)", re.MULTILINE)
# Identifiers the sources define (`{#fig-x}`, `#| label: fig-x`), for suggestions.
DEFINED = re.compile(r"(?:[{\s]#|label:[ \t]*)([A-Za-z][\w:.-]*\w)")


Place = tuple[str, int]  # the file as shown, and its line (0: the file as a whole)


def warn_unresolved(project: Project, source: Source, stderr: str) -> None:
    """One warning per citation of an unknown key, reference to no label and link to a missing
    anchor that the render reported in `stderr`, in the order of the sources."""
    missing = set(MISSING_CITATION.findall(stderr)) | set(MISSING_NATIVE_CITATION.findall(stderr))
    labels = UNRESOLVED_CROSSREF.findall(stderr) + QUARTO_UNRESOLVED_CROSSREF.findall(stderr)
    found: list[tuple[Place, str]] = []
    if missing or labels:  # the readers of the places are imported only then
        from galley.reading.citations import crossref_label

        unresolved = {crossref_label(label) or label for label in labels}
        places = _cite_places(source.body)
        keys = _bibliography_keys(project.bibliographies) if missing else set()
        for key in missing:
            message = _citation(project, key, keys)
            found += [(place, message) for place in _places(project, source, places, key)]
        for label in unresolved:
            message = _crossref(source, label)
            found += [(place, message) for place in _places(project, source, places, label)]
    for anchor in set(MISSING_ANCHOR.findall(stderr)):
        found.append((_anchor_place(project, source, anchor), _anchor(source, anchor)))
    for (path, line), message in sorted(found):
        notices.warn(f"{path}:{line}" if line else path, message, rendered=True)


def explained(report: str) -> bool:
    """Whether `warn_unresolved` turns this line of a tool's report into a warning of its own."""
    return any(pattern.search(report) for pattern in (MISSING_CITATION, QUARTO_UNRESOLVED_CROSSREF))


@functools.lru_cache(maxsize=1)  # the formats of one render ask for the same body
def _cite_places(body: str) -> tuple[CitationRef, ...]:
    """Every citation and cross-reference of the body, as pandoc reads them, with its line."""
    from galley.reading.cites import pandoc_cites
    from galley.reading.uses import place

    return tuple(place(pandoc_cites([body])[0], body))


def _places(
    project: Project, source: Source, places: Iterable[CitationRef], key: str
) -> list[Place]:
    """Each place where `key` is cited, once; else where the article's front matter (an
    abstract) writes it; else the article as a whole."""
    found = []
    for ref in places:
        if ref.key == key:
            origin = source.origin(ref.line - 1)
            found.append((project.rel(origin.path), origin.line))
    if found:
        return list(dict.fromkeys(found))
    written = re.compile("@" + re.escape(key) + r"(?![\w:.#$%&+?<>~/-]*\w)")
    lines = project.article.read_text(encoding="utf-8", errors="replace").split("\n")
    line = next((n for n, text in enumerate(lines, start=1) if written.search(text)), 0)
    return [(project.rel(project.article), line)]


def _suggest(
    written: str, known: Iterable[str], mark: str, otherwise: str, prefix: str = ""
) -> str:
    """`did you mean `@x`? Otherwise …` when a known name is close, else `otherwise`. Names that
    share `prefix` (`fig-`) are compared without it: it would make any two look alike."""
    candidates = {name[len(prefix) :]: name for name in known if name.startswith(prefix)}
    by_fold = {name.casefold(): name for name in candidates}
    rest = written[len(prefix) :]
    same_but_case = by_fold.get(rest.casefold())
    if same_but_case:
        close = [same_but_case]
    else:
        import difflib

        close = difflib.get_close_matches(rest, candidates, 3)
    if not close:
        return otherwise
    names = ", ".join(f"`{mark}{candidates[name]}`" for name in close)
    return f"did you mean {names}? Otherwise {otherwise}"


def _citation(project: Project, key: str, known: set[str]) -> str:
    bibs = ", ".join(project.rel(b) for b in project.bibliographies) or "no bibliography"
    fix = _suggest(key, known, "@", "add the entry or fix the key")
    return (
        f"citation `@{key}` is not in the bibliography ({bibs}), so it renders as {key}?; "
        f"{fix} [missing-key]"
    )


def _crossref(source: Source, label: str) -> str:
    target = UNRESOLVED_TARGETS.get(label.split("-")[0], "figure, table or section")
    fix = _suggest(
        label,
        DEFINED.findall(source.body),
        "@",
        f"define `{{#{label}}}` or fix the label",
        prefix=label.split("-")[0] + "-",
    )
    return (
        f"cross-reference `@{label}` points to no {target}, so it renders as ?@{label}; "
        f"{fix} [undefined-crossref]"
    )


def _anchor_place(project: Project, source: Source, anchor: str) -> Place:
    """Where the first link to `#anchor` stands (a Markdown link, or raw HTML's `href`)."""
    written = re.compile(
        r"\]\(\s*<?#" + re.escape(anchor) + r"[\s>)]|href=[\"']#" + re.escape(anchor)
    )
    for index, text in enumerate(source.body.split("\n")):
        if written.search(text):
            origin = source.origin(index)
            return (project.rel(origin.path), origin.line)
    return (project.rel(project.article), 0)


def _anchor(source: Source, anchor: str) -> str:
    fix = _suggest(
        anchor,
        DEFINED.findall(source.body),
        "#",
        f"give the target an id with {{#{anchor}}}, or fix the link",
    )
    return (
        f"link to `#{anchor}` points to no element of the document (in the PDF it is plain "
        f"text); {fix} [missing-anchor]"
    )


def _bibliography_keys(paths: Iterable[Path]) -> set[str]:
    """The keys the bibliography files define, for suggestions."""
    keys: set[str] = set()
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue  # the render read it; a suggestion is not worth an error
        if path.suffix.lower() == ".json":
            try:
                items = json.loads(text)
            except ValueError:
                continue
            keys |= {str(i["id"]) for i in items if isinstance(i, dict) and "id" in i}
        elif path.suffix.lower() in (".yaml", ".yml"):
            keys |= set(YAML_ID.findall(text))
        else:
            keys |= set(BIB_KEY.findall(text))
    return keys


def hidden_crossref_warnings(project: Project, source: Source, stderr: str) -> list[str]:
    """conditional.lua's reports of cross-references to content hidden in this format, as the
    build's warnings with file and line (the reference renders as `?@label`, as in Quarto)."""
    warnings = []
    for label in dict.fromkeys(HIDDEN_CROSSREF.findall(stderr)):
        origin = source.locate("@" + label)
        where = (
            f"{project.rel(origin.path)}:{origin.line}" if origin else project.rel(project.article)
        )
        warnings.append(
            f"galley: warning: {where}: cross-reference `@{label}` points to content hidden in "
            f"this format; it renders as ?@{label}"
        )
    return warnings
