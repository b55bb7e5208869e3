"""Typst's failures made the author's: each traced to the file and line of the sources it came
from, with what to do; and where a PDF can still be made, a warning and the PDF.

Typst reports every error of a compile in its diagnostic, each with its place in the .typ pandoc
wrote (`┌─ doc/index.typ:12:5`). That .typ has no line map back to the author's files, so each
place is found again in the expanded sources: by the link, key or label the error names, by the
line itself when the author wrote it as raw Typst, or by the image it shows.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple
from xml.parsers import expat

from galley.engines import edition
from galley.errors import GalleyError, ToolError
from galley.project import Project
from galley.reading.sources import Origin, Source
from galley.rendering.styles import UnreadableStyle, csl_path

MISSING_LABEL = re.compile(r"label `<(.+?)>` does not exist in the document")
MISSING_KEY = re.compile(r"citation key `(.+?)` is not present in the bibliography")
# Typst's CSL parser (citationberg) names the element it could not read by its path in the
# style: `info.category[2]` is the third `<category>` of `<info>`.
BAD_STYLE = re.compile(r"failed to load CSL style \(.*? at `([^`]+)`\)")
SPAN = re.compile(r"┌─ (.+?):(\d+):\d+")
HINT = re.compile(r"^\s*= hint: (.+)$", re.MULTILINE)
IMAGE = re.compile(r"""image\("([^"]+)\"""")
# An image's address on the web, which Typst does not fetch.
REMOTE = re.compile(r"(?:https?|ftp)://", re.IGNORECASE)
# A label pandoc gives an element: at the end of its line, or on the line after a heading.
LABEL = re.compile(r"<([\w:.-]+)>$")
# A heading with no title, as pandoc writes it and as the author wrote it (`#`, `## {#x}`).
EMPTY_HEADING_TYP = re.compile(r"=+$")
EMPTY_HEADING = re.compile(r"#{1,6}(?:\s+\{[^}]*\})?\s*$")
STYLE_STEP = re.compile(r"([\w-]+)(?:\[(\d+)\])?")


class Failure(NamedTuple):
    """One compile's failure: Typst's first message, and its whole diagnostic."""

    message: str
    diagnostic: str

    def hints(self) -> str:
        found = dict.fromkeys(HINT.findall(self.diagnostic))
        return f" (Typst: {'; '.join(found)})" if found else ""


def unreadable_style(project: Project, failure: Failure) -> UnreadableStyle | None:
    """The warning for a CSL style Typst cannot read, at the element it stopped on; None for
    another failure."""
    match = BAD_STYLE.search(failure.diagnostic)
    style = csl_path(project)
    if match is None or style is None:
        return None
    shown = project.rel(style) if style.is_relative_to(project.root) else str(style)
    line, element = _style_element(style, match[1])
    return UnreadableStyle(
        f"Typst cannot read this CSL style ({failure.message}): {element or match[1]}; the "
        "PDF's citations are formatted by pandoc's citeproc with it instead, as the HTML's and "
        "the DOCX's; for Typst's own, remove or correct that element",
        path=shown,
        line=line,
    )


def pdf_ua_refusal(project: Project, source: Source, typ: Path, failure: Failure) -> str:
    """The warning for a PDF written plain since Typst refused PDF/UA-1, for any reason:
    Typst words most as "PDF/UA-1 error", others not ("embedding PDFs is currently not
    supported in this export mode", for a PDF figure)."""
    reason = edition.pdf_ua_refusal(failure.diagnostic) or failure.message + failure.hints()
    place = _typ_place(source, typ, failure)
    return (
        f"galley: warning: {where_shown(project, place.origin if place else None)}: the PDF is "
        "not PDF/UA-1 "
        f"(tagged for accessibility), since Typst refused it: {reason}"
    )


def traced_failure(project: Project, source: Source, typ: Path, failure: Failure) -> GalleyError:
    """A failure Typst has no way round, at its place in the author's sources where one is
    found, with what to do."""
    # The first error only: a later one may follow from it (an image Typst cannot read takes
    # its figure's label with it, and a reference to that label fails too).
    key = MISSING_KEY.search(failure.message)
    label = MISSING_LABEL.search(failure.message)
    # `#cite(<x>)`, or `@x`: pandoc writes a citation as either, and Typst reads `@x` as a
    # label when the bibliography lacks `x`.
    cited = key[1] if key else label[1] if label and source.locate("@" + label[1]) else None
    if cited is not None:
        bibs = ", ".join(project.rel(b) for b in project.bibliographies) or "no bibliography"
        return _error(
            project,
            f"citation key `@{cited}` is not in the bibliography ({bibs}); add the entry or fix "
            "the key",
            source.locate("@" + cited),
        )
    place = _typ_place(source, typ, failure)
    if label:
        return _error(
            project,
            f"the Typst reference to `<{label[1]}>` points to no label in the document; add "
            f"`{{#{label[1]}}}` to the element it means, or fix the reference",
            place.origin if place else None,
        )
    if place is not None:
        return _error(project, _traced_message(failure, place), place.origin)
    return ToolError(
        f"Typst failed compiling {project.rel(project.article)} to PDF: {failure.message}"
        f"{failure.hints()}"
    )


def _traced_message(failure: Failure, place: Place) -> str:
    """What went wrong at `place`, and what to do, by how the line was found."""
    if place.image and REMOTE.match(place.image):
        # Typst reads files only (no network); Quarto downloads such an image first.
        return (
            f"the image `{place.image}` is on the web, and Typst reads only files: download it "
            "into the project and show that file instead"
        )
    failed = f"Typst failed compiling the PDF: {failure.message}{failure.hints()}"
    if place.image:
        return f"{failed}; this line shows the image `{place.image}`: check that Typst reads it"
    if place.raw:
        return (
            f"{failed}; this line is raw Typst (a ```{{=typst}} block): correct it for Typst "
            f"{_typst_version()}"
        )
    return f"{failed}; in the element this line marks"


def _typst_version() -> str:
    from importlib.metadata import version

    return version("typst")


def _error(project: Project, message: str, origin: Origin | None) -> GalleyError:
    if origin is None:
        return GalleyError(message, path=project.rel(project.article))
    return GalleyError(message, path=project.rel(origin.path), line=origin.line)


def where_shown(project: Project, origin: Origin | None) -> str:
    if origin is None:
        return project.rel(project.article)
    return f"{project.rel(origin.path)}:{origin.line}"


class Place(NamedTuple):
    """The author's line behind an error in the .typ, and how it was found: as the same line of
    raw Typst (`raw`), as the line that shows the image the .typ line names (`image`: its path
    or address), or by the element's identifier."""

    origin: Origin
    raw: bool = False
    image: str = ""


def _typ_place(source: Source, typ: Path, failure: Failure) -> Place | None:
    """The author's line behind the .typ line of the first error: the same line written as raw
    Typst, the line that shows the image it names, or the line that gives the element its
    identifier (`# {#sec-x}`: pandoc writes the label `<sec-x>` on the line after a heading)."""
    lines = typ.read_text(encoding="utf-8").split("\n")
    for file, number in SPAN.findall(failure.diagnostic):
        if Path(file).name == typ.name and 0 < int(number) <= len(lines):
            typ_line = lines[int(number) - 1].strip()
            next_line = lines[int(number)].strip() if int(number) < len(lines) else ""
            break
    else:
        return None
    body = source.body.split("\n")
    if len(typ_line) > 3:
        for index, line in enumerate(body):
            if line.strip() == typ_line:
                return Place(source.origin(index), raw=True)
    image = IMAGE.search(typ_line)
    if image:
        name = Path(image[1]).name
        for index, line in enumerate(body):
            if name in line:
                return Place(source.origin(index), image=image[1])
    label = LABEL.search(typ_line) or LABEL.match(next_line)
    found = source.locate("{#" + label[1]) if label else None
    if found is None and EMPTY_HEADING_TYP.match(typ_line):
        for index, line in enumerate(body):
            if EMPTY_HEADING.match(line):
                return Place(source.origin(index))
    return Place(found) if found is not None else None


def _style_element(style: Path, path: str) -> tuple[int | None, str | None]:
    """The line of the element at Typst's `path` (`info.category[2]`) in the CSL file, and that
    line's text; (None, None) when it is not found."""
    steps = [(name, int(index or 0)) for name, index in STYLE_STEP.findall(path)]
    text = style.read_text(encoding="utf-8", errors="replace")
    parser = expat.ParserCreate()
    trail: list[tuple[str, int]] = []
    counts: list[dict[str, int]] = [{}]
    found: list[int] = []

    def start(name: str, _attributes: dict[str, str]) -> None:
        seen = counts[-1].get(name, 0)
        counts[-1][name] = seen + 1
        counts.append({})
        trail.append((name, seen))
        if not found and trail[1:] == steps:  # the path starts below the root, `<style>`
            found.append(parser.CurrentLineNumber)

    def end(_name: str) -> None:
        trail.pop()
        counts.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(text, True)
    except expat.ExpatError:
        return None, None
    if not found:
        return None, None
    return found[0], text.split("\n")[found[0] - 1].strip()
