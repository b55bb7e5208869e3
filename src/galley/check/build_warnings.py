"""What `galley build` warns about in the sources.

Quarto renders a figure without alt text, a skipped heading level, a missing image (the
reader sees the alt text or the caption) and a link to a missing file (with "Unable to resolve
link target"), so the build does too and prints each as a warning; `galley check` reports the
same problems as errors (rules `missing-alt-text`, `skipped-heading-level`, `missing-file`),
which is where a project's CI fails on them. An
image outside the project is warned about with every other local path outside it
(galley.reading.local_files, rule `outside-project`).

Reading a book's sources for these takes a noticeable share of a build with nothing to do, so
what the text alone decides (the accessibility findings, and which images it names where) is
kept in `.galley/cache/warnings.json` for the sources it was found in; whether each image
exists is asked anew on every build.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from galley.project import Project
from galley.reading.sources import Source
from galley.util import json_cache, notices
from galley.util.findings import RULES, Finding

if TYPE_CHECKING:
    from galley.check.accessibility import Placed

WARNINGS_CACHE = "warnings.json"
_MAYBE_STR = json_cache.OneOf((str, type(None)))
_FINDING = json_cache.Record(
    {
        "rule": json_cache.Among(frozenset(RULES)), "path": str,
        "line": json_cache.OneOf((int, type(None))), "message": str, "fix": str,
        "key": _MAYBE_STR, "label": _MAYBE_STR, "url": _MAYBE_STR,
        "cell": json_cache.OneOf((int, type(None))),
    }
)  # fmt: skip
# What `_read_from_text` found (each with the index of its line in the text), and for which text.
SHAPE = json_cache.Record(
    {
        "key": str,
        "findings": json_cache.ListOf(json_cache.Row((int, _FINDING))),
        "images": json_cache.ListOf(json_cache.Row((int, str, str, str, int))),
        "links": json_cache.ListOf(json_cache.Row((int, str, str, str, int))),
    }
)


def _placed(project: Project, source: Source) -> list[Placed]:
    from galley.check.accessibility import Placed
    from galley.reading.markdown import mask

    lines = mask(source.body).text.split("\n")
    shown = {path: project.rel(path) for path in source.files}  # a book has few files, many lines
    placed = []
    for index, text in enumerate(lines):
        origin = source.origin(index)
        path = shown.get(origin.path) or project.rel(origin.path)
        placed.append(Placed(text, path, origin.line))
    return placed


def _images(project: Project, lines: list[Placed]) -> list[tuple[int, str, str, str, int]]:
    """Each local image inside the project the text names: (line index, src, its path, file and
    line).
    An image outside the project is left to the render's check of every local path
    (galley.reading.local_files), which warns about it."""
    from galley.check.accessibility import IMAGE
    from galley.reading.local_files import local_path

    found = []
    for index, line in enumerate(lines):
        for image in IMAGE.finditer(line.text):
            src = image["src"]
            path = local_path(project.article.parent, src)
            if path is not None and path.is_relative_to(project.root):
                found.append((index, src, str(path), line.path, line.line))
    return found


def _links(project: Project, lines: list[Placed]) -> list[tuple[int, str, str, str, int]]:
    """Each local file inside the project a Markdown link names, as `_images` gives images. A
    path from the project root (`/x.pdf`) is left alone, as a link to a web page is."""
    from galley.check.localfiles import LINK
    from galley.reading.local_files import local_path

    found = []
    for index, line in enumerate(lines):
        for link in LINK.finditer(line.text):
            target = link["target"].strip("<>")
            # `![…](x.png)`, and `[![…](x.png)](https://…)` read from its first bracket: images,
            # which `_images` finds.
            if link[0].startswith(("!", "[!")) or target.startswith("/"):
                continue
            path = local_path(project.article.parent, target)
            if path is not None and path.is_relative_to(project.root):
                found.append((index, target, str(path), line.path, line.line))
    return found


def _exists(path: Path) -> bool:
    """The file, or for `x.html` the document Quarto renders to it (`x.qmd`…)."""
    if path.exists():
        return True
    documents = (".qmd", ".ipynb", ".md", ".Rmd")
    return path.suffix == ".html" and any(path.with_suffix(s).is_file() for s in documents)


def _read_from_text(project: Project, source: Source) -> dict[str, Any]:
    """What the text decides: the accessibility findings and the images, each with the index of
    the first line it stands on (an included file's line may stand twice in the text). The
    readers it needs are imported only then: a build whose sources are unchanged does not."""
    from galley.check.accessibility import accessibility_findings

    lines = _placed(project, source)
    first = {(line.path, line.line): index for index, line in reversed(list(enumerate(lines)))}
    findings = [
        (first.get((f.path, f.line or 0), 0), dataclasses.asdict(f))
        for f in accessibility_findings(lines)
    ]
    images = [
        (first[(shown, line)], src, path, shown, line)
        for _, src, path, shown, line in _images(project, lines)
    ]
    links = [
        (first[(shown, line)], target, path, shown, line)
        for _, target, path, shown, line in _links(project, lines)
    ]
    return {"findings": findings, "images": images, "links": links}


def _sources_key(project: Project, source: Source) -> str:
    """The expanded text, the files it came from (which decide each line's file and number) and
    galley's own code (which decides the rules)."""
    from galley.rendering.render_cache import galley_code_digest

    digest = hashlib.sha256(galley_code_digest())
    digest.update(source.body.encode())
    for path in source.files:
        digest.update(project.rel(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def source_warnings(project: Project, source: Source, disabled: frozenset[str]) -> list[Finding]:
    """The build's warnings about the expanded sources, in source order, without the rules
    `[tool.galley.check] disable` turns off."""
    cache = project.cache_dir / "cache" / WARNINGS_CACHE
    key = _sources_key(project, source)
    kept = json_cache.load(cache, SHAPE)
    if kept.get("key") == key:
        read = kept
    else:
        read = {"key": key, **_read_from_text(project, source)}
        json_cache.save(cache, read)
    found = [(int(index), Finding(**fields)) for index, fields in read["findings"]]
    for index, src, path, shown, line in read["images"]:
        if not Path(path).is_file():
            message = f"image `{src}` does not exist"
            fix = "add the file or fix the path (relative to the article)"
            found.append((index, Finding("missing-file", shown, line, message, fix, url=src)))
    for index, target, path, shown, line in read["links"]:
        if not _exists(Path(path)):
            message = f"link target `{target}` does not exist"
            fix = "correct the path (relative to the article) or add the file to the project"
            found.append((index, Finding("missing-file", shown, line, message, fix, url=target)))
    kept_findings = [(index, f) for index, f in found if f.rule not in disabled]
    return [f for _, f in sorted(kept_findings, key=lambda pair: (pair[0], pair[1].rule))]


def as_warning(finding: Finding) -> str:
    """One line for the terminal: `galley: warning: path:line: what; fix [rule]`."""
    where = f"{finding.path}:{finding.line}" if finding.line else finding.path
    return notices.line(where, f"{finding.message}; {finding.fix} [{finding.rule}]")
