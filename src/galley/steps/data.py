"""Check the project's data against `data/datapackage.json` before any step reads it.

The rows are validated by frictionless-py (the Frictionless reference implementation of Table
Schema: galley.steps.tables) and reported in galley's words, one line per finding with the file
and line. One galley extension: a field with `"galley:citationKey": true` may only hold citation
keys of the project's bibliography (an empty or missing value is allowed unless the field is
required).

frictionless is slow to import and to run, so it runs only when something it reads changed: the
descriptor, a data file, a schema or dialect file, a bibliography or frictionless itself. The
content hash of all of them is kept in `.galley/cache/data.json` after a validation without
findings; a no-op build compares hashes and imports nothing.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, NamedTuple

from galley.errors import ConfigError, GalleyError
from galley.project import Project
from galley.steps.descriptor import DATAPACKAGE, for_validation, load_package
from galley.steps.problem import CITATION_KEY, Problem
from galley.util import json_cache as cache
from galley.util.jsonfile import loads
from galley.util.package_versions import package_version
from galley.util.textfile import read_utf8

MAX_REPORTED = 20
VALID_CACHE = "data.json"
CACHE_FORMAT = 1


class Resource(NamedTuple):
    """One resource, checked and ready for frictionless."""

    data: Path
    descriptor: dict[str, Any]

    @property
    def key_fields(self) -> list[str]:
        fields = self.descriptor["schema"]["fields"]
        return [str(f["name"]) for f in fields if f.get(CITATION_KEY)]


def citation_keys(project: Project, *, needed: bool) -> set[str]:
    """Keys of every bibliography (BibTeX read by bibtexparser, as the checker reads it, or CSL
    JSON); an unreadable one is an error, and so is another format when keys are `needed`."""
    from galley.reading.bibliography import entry_keys, read_text

    keys: set[str] = set()
    for bib in project.bibliographies:
        shown = project.rel(bib)
        if bib.suffix.lower() == ".json":
            keys |= _csl_json_keys(read_utf8(bib, shown), shown)
        elif bib.suffix.lower() == ".bib":
            keys |= entry_keys(read_text(bib), shown)
        elif needed:
            raise ConfigError(
                f"galley reads citation keys for `{CITATION_KEY}` from .bib and CSL .json "
                f"bibliographies; convert `{shown}` with `pandoc -t biblatex`",
                path="_quarto.yml",
            )
    return keys


def _csl_json_keys(text: str, shown: str) -> set[str]:
    items = loads(text, shown, GalleyError, "CSL JSON")
    if not isinstance(items, list):
        raise GalleyError("a CSL JSON bibliography must be a list of entries", path=shown)
    return {str(item["id"]) for item in items if isinstance(item, dict) and "id" in item}


def _fingerprint(project: Project, resources: list[Resource]) -> str:
    """The hash of everything the validation reads (see the module's docstring)."""
    digest = hashlib.sha256(f"{CACHE_FORMAT} {package_version('frictionless')}".encode())
    files = [project.root / DATAPACKAGE, *(r.data for r in resources), *project.bibliographies]
    for descriptor in (r.descriptor for r in resources):  # schema and dialect files, as read
        digest.update(json.dumps(descriptor, sort_keys=True).encode())
    for path in files:
        digest.update(str(path).encode())
        digest.update(path.read_bytes() if path.is_file() else b"missing")
    return digest.hexdigest()


def data_problems(project: Project) -> list[Problem]:
    """Every problem in the rows of data/datapackage.json's resources (none without one): what
    `build` refuses and `check` reports. A package that cannot be read at all raises."""
    package = load_package(project)
    if package is None:
        return []
    resources = [Resource(*for_validation(project, r, i)) for i, r in enumerate(package)]
    fingerprint = _fingerprint(project, resources)
    kept = cache.cache_path(project.root, VALID_CACHE)
    if cache.load(kept, cache.Record({"valid": str})).get("valid") == fingerprint:
        return []
    if any(r.key_fields for r in resources) and not project.bibliographies:
        name = next(r.descriptor["name"] for r in resources if r.key_fields)
        raise ConfigError(
            f"resource `{name}` checks citation keys but _quarto.yml names no `bibliography`",
            path=DATAPACKAGE,
        )
    from galley.steps import tables  # frictionless: only when something changed

    # read even when no field needs them: an unreadable bibliography is an error here too
    keys = citation_keys(project, needed=any(r.key_fields for r in resources))
    named = {str(r.descriptor["name"]): (r.data, r.descriptor) for r in resources}
    problems = tables.validate(project, named, keys)
    if not problems:
        cache.save(kept, {"valid": fingerprint})
    return problems


def validate_data(project: Project) -> None:
    """Check every resource of data/datapackage.json, if there is one; raise on any problem."""
    problems = data_problems(project)
    if len(problems) == 1:
        p = problems[0]
        raise GalleyError(p.message, path=p.path, line=p.line)
    if problems:
        listed = "\n".join(f"  {p}" for p in problems[:MAX_REPORTED])
        more = (
            f"\n  ... and {len(problems) - MAX_REPORTED} more"
            if len(problems) > MAX_REPORTED
            else ""
        )
        raise GalleyError(
            f"{len(problems)} problems in the data (schema: {DATAPACKAGE}):\n{listed}{more}"
        )
