"""What a build checks before it starts work: problems that would otherwise surface late (after
the data steps ran), deep in a tool's output, or not at all.

Also the one remedy for a very large bibliography: pandoc's citeproc holds every entry in
memory (about 160 bytes per byte of BibTeX: gigabytes for a 50 MB file, and minutes), so above
LARGE_BIBLIOGRAPHY the renderer gets a copy with only the cited entries, same lines.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from galley.errors import ConfigError, GalleyError
from galley.project import Project
from galley.reading.sources import Source
from galley.util import json_cache
from galley.util.textfile import read_utf8

LARGE_BIBLIOGRAPHY = 2 * 2**20  # bytes; below this pandoc reads a file in about a second
CHECKED_CACHE = "bibliographies.json"
# The .bib files (with galley's code and bibtexparser) last found without a problem.
CHECKED = json_cache.Record({"checked": str})


def check_output_dir(project: Project) -> None:
    """The output folder is a folder galley can write, or does not exist yet."""
    out = project.output_dir
    shown = project.rel(out)
    if out.is_symlink() and not out.exists():
        raise GalleyError(
            f"the output folder is a link to `{os.readlink(out)}`, which does not exist; "
            "create that folder or remove the link",
            path=shown,
        )
    if out.exists() and not out.is_dir():
        raise GalleyError(
            "the output folder is a file; move or delete it, or choose another folder with "
            "`project: output-dir:` in _quarto.yml",
            path=shown,
        )
    if out.is_dir() and not os.access(out, os.W_OK | os.X_OK):
        raise GalleyError(
            "the output folder is read-only; make it writable (chmod u+w) or choose another "
            "folder with `project: output-dir:` in _quarto.yml",
            path=shown,
        )


def check_bibliographies(project: Project) -> None:
    """The first syntax problem of a BibTeX bibliography, as an error with file and line.
    Pandoc would say "unexpected end of input" at the last line, or nothing at all. Files found
    without a problem are remembered (`.galley/cache/bibliographies.json`), so that a render
    with the same ones neither imports bibtexparser nor reads them again."""
    bibs = [path for path in project.bibliographies if path.suffix.lower() == ".bib"]
    if not bibs:
        return
    kept = project.cache_dir / "cache" / CHECKED_CACHE
    fingerprint = _fingerprint(project, bibs)
    if fingerprint is not None and json_cache.load(kept, CHECKED).get("checked") == fingerprint:
        return
    _check_bibliographies(project, bibs)
    if fingerprint is not None:
        json_cache.save(kept, {"checked": fingerprint})


def _fingerprint(project: Project, bibs: list[Path]) -> str | None:
    """What the check's answer depends on: the files' bytes, galley's code and bibtexparser's
    version; None when a file cannot be read (the check says why)."""
    import hashlib

    from galley.rendering.render_cache import galley_code_digest
    from galley.util.package_versions import package_version

    digest = hashlib.sha256(galley_code_digest())
    digest.update(package_version("bibtexparser").encode())
    for path in bibs:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        digest.update(project.rel(path).encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


def _check_bibliographies(project: Project, bibs: list[Path]) -> None:
    from galley.reading.bibliography import TOO_LONG_FIX, parse_bibliography
    from galley.reading.bibliography_cut import strings_only

    for path in bibs:
        rel = project.rel(path)
        text = read_utf8(path, rel, ConfigError)
        if path.stat().st_size > LARGE_BIBLIOGRAPHY:
            # A large file's syntax is left to pandoc (reading it here would take as long), but
            # not its @strings' lengths: pandoc would hold every copy in memory.
            strings, file_line = strings_only(text)
            findings = parse_bibliography(strings, rel).findings
            problem = next((f for f in findings if f.fix == TOO_LONG_FIX), None)
            if problem is not None:
                problem = dataclasses.replace(problem, line=file_line(problem.line or 1))
        else:
            findings = parse_bibliography(text, rel).findings
            problem = next((f for f in findings if f.rule == "bib-syntax"), None)
        if problem is not None:
            message = problem.message.removesuffix(".")
            fix = problem.fix.replace("galley skipped the block", "then build again")
            raise GalleyError(f"{message}; {fix}", path=rel, line=problem.line)


def check_tools(engine: str, formats: Iterable[str]) -> None:
    """The embedded engine's tools are there (Quarto's absence is found when it is chosen)."""
    if engine != "pandoc":
        return
    from galley.util.tools import pandoc_path, typst_module

    pandoc_path()
    if any(fmt in ("typst", "pdf") for fmt in formats):
        typst_module()


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def cited_keys(project: Project, source: Source) -> set[str] | None:
    """Every key the article may cite (body, front matter, settings, `nocite`); None for all."""
    from galley.reading.citations import nocite_keys
    from galley.reading.cites import pandoc_cites

    nocite = nocite_keys({**project.config, **source.front_matter})
    if "*" in nocite:
        return None
    texts = [source.body, *_strings(source.front_matter), *_strings(project.config)]
    return {key for keys in pandoc_cites(texts) for key in keys} | set(nocite)


def _large(path: Path) -> bool:
    return path.suffix.lower() == ".bib" and path.stat().st_size > LARGE_BIBLIOGRAPHY


def small_bibliographies(project: Project, source: Source, scratch: Path) -> tuple[Path, ...]:
    """The bibliographies to render with: each large .bib replaced by a cited-only copy in
    `scratch`; the others as they are."""
    if not any(_large(path) for path in project.bibliographies):
        return project.bibliographies
    from galley.reading.bibliography_cut import cited_only  # bibtexparser: only when one is

    keys = cited_keys(project, source)
    if keys is None:  # `nocite: @*` cites everything
        return project.bibliographies
    paths = []
    for index, path in enumerate(project.bibliographies):
        if _large(path):
            copy = scratch / f"{index}-{path.name}"
            text = read_utf8(path, project.rel(path), ConfigError)
            copy.write_text(cited_only(text, keys), encoding="utf-8")
            path = copy
        paths.append(path)
    return tuple(paths)
