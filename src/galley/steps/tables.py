"""Validate one tabular resource with frictionless-py and word each finding as galley does:
`data/x.csv:4: column y: "abc" is not a number; <what to do>`, one line per finding.

frictionless counts rows, not lines (a quoted value may hold a line break), so a row's number
becomes the line it starts on by reading the file with the CSV dialect frictionless used. The
`galley:citationKey` extension is a frictionless check, so it runs in the same pass.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs
from frictionless import Check, Checklist, FrictionlessException, Package, Resource, errors
from frictionless.formats.csv import CsvControl

from galley.errors import ConfigError, GalleyError
from galley.project import Project
from galley.steps.descriptor import DATAPACKAGE
from galley.steps.patterns import slow_patterns
from galley.steps.problem import CITATION_KEY, Problem
from galley.util.textfile import read_utf8

POSITION = re.compile(r"position (\d+)")
CONSTRAINT = re.compile(r'constraint "(\w+)"')
ROW_LENGTH = ("missing-cell", "extra-cell")
LABEL_ERRORS = ("incorrect-label", "extra-label", "missing-label", "blank-label", "duplicate-label")


class CitationKeyError(errors.CellError):
    type = "galley-citation-key"
    title = "Citation Key"
    description = "The value is not a citation key of the project's bibliography."
    template = "The cell {cell} in row at position {rowNumber} is not a citation key"


@attrs.define(kw_only=True, repr=False)
class CitationKeys(Check):
    """galley's extension: a `galley:citationKey` field holds keys of the bibliography."""

    type = "galley-citation-keys"
    Errors = [CitationKeyError]  # noqa: RUF012  (frictionless's own class attribute)
    fields: dict[str, list[str]]  # by resource name
    keys: set[str]

    def validate_row(self, row: Any) -> Iterator[Any]:
        for name in self.fields.get(self.resource.name, []):
            value = row[name]
            if value is not None and value not in self.keys:
                yield CitationKeyError.from_row(row, note="not a citation key", field_name=name)


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"


def _cell_message(error: Any, field: dict[str, Any], first: int | None) -> str:
    """What is wrong with one value, and what to do where that is not plain."""
    raw = error.cells[error.field_number - 1] if error.field_number <= len(error.cells) else ""
    kind = str(field.get("type", "string"))
    if error.type == "type-error":
        fmt = field.get("format", "default")
        shape = f" in the format {fmt}" if fmt not in ("default", "any") else ""
        return f'"{raw}" is not {_article(kind)} {kind}{shape}'
    if error.type == "unique-error":
        return f'"{raw}" is a duplicate (first at line {first}); values must be unique'
    if error.type == "galley-citation-key":
        return f'"{raw}" is not a citation key of the bibliography; add the entry or fix the key'
    found = CONSTRAINT.search(error.note)
    name = found.group(1) if found else ""
    bound = field.get("constraints", {}).get(name)
    if name == "required":
        return "a value is required"
    if name == "enum":
        allowed = ", ".join(str(v) for v in bound) if isinstance(bound, list) else bound
        return f'"{raw}" is not one of the allowed values ({allowed})'
    worded = {
        "minimum": "is below the minimum",
        "maximum": "is above the maximum",
        "exclusiveMinimum": "is not above",
        "exclusiveMaximum": "is not below",
        "minLength": "is shorter than",
        "maxLength": "is longer than",
        "pattern": "does not match the pattern",
    }
    unit = " characters" if name in ("minLength", "maxLength") and kind == "string" else ""
    return f'"{raw}" {worded[name]} {bound}{unit}' if name in worded else f'"{raw}": {error.note}'


def _records(resource: Resource, data: Path) -> list[tuple[int, list[str]]]:
    """Each CSV record with the line it starts on (record 1, the header, starts on line 1),
    read with the dialect and encoding frictionless reads with; none for another format."""
    with resource:  # opening detects the dialect and encoding
        if resource.format not in ("csv", "tsv"):
            return []
        dialect = CsvControl.from_dialect(resource.dialect).to_python()
        encoding = resource.encoding or "utf-8"
    text = data.read_bytes().decode(encoding, errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect)
    records, end = [], 0
    for row in reader:
        records.append((end + 1, row))
        end = reader.line_num
    return records


def _primary_key(schema: dict[str, Any]) -> list[str]:
    key = schema.get("primaryKey") or []
    return [key] if isinstance(key, str) else [str(k) for k in key]


def _problems(
    report_errors: Iterable[Any], schema: dict[str, Any], shown: str, lines: list[int]
) -> Iterator[Problem]:
    by_name = {str(f["name"]): f for f in schema["fields"]}
    names = list(by_name)
    key = _primary_key(schema)

    def line(row: int | None) -> int | None:
        return lines[row - 1] if row and row <= len(lines) else row

    told: set[tuple[str, int | None]] = set()
    for error in report_errors:
        row = getattr(error, "row_number", None)
        if error.type in LABEL_ERRORS:
            if ("header", None) not in told:
                told.add(("header", None))
                yield Problem(
                    shown,
                    1,
                    f"the header has columns {error.labels} but the schema in {DATAPACKAGE} "
                    f"lists {names}; make them match",
                )
        elif error.type in ROW_LENGTH:
            if ("length", row) not in told:
                told.add(("length", row))
                count = len(error.cells)
                yield Problem(
                    shown,
                    line(row),
                    f"{count} value{'s' if count != 1 else ''} for {len(names)} columns; give "
                    "one per column and quote any value that holds a comma",
                )
        elif error.type == "blank-row":
            yield Problem(shown, line(row), "the row is empty; delete it or fill it in")
        elif error.type == "foreign-key":
            yield Problem(
                shown,
                line(row),
                f"foreign key {error.note}; fix the value or add it to the referenced resource",
            )
        elif error.type == "primary-key":
            values = ", ".join(error.cells[names.index(k)] for k in key if k in names)
            found = POSITION.search(error.note)
            after = f" (first at line {line(int(found.group(1)))})" if found else ""
            what = f"column {key[0]}" if len(key) == 1 else f"primary key ({', '.join(key)})"
            yield Problem(
                shown,
                line(row),
                f'{what}: "{values}" is a duplicate{after}; the values of the primary key must '
                "be unique",
            )
        elif getattr(error, "field_name", "") in by_name and "#cell" in error.tags:
            earlier = POSITION.search(error.note) if error.type == "unique-error" else None
            first: int | None = line(int(earlier.group(1))) if earlier else None
            message = _cell_message(error, by_name[error.field_name], first)
            yield Problem(shown, line(row), f"column {error.field_name}: {message}")
        else:
            yield Problem(shown, line(row), f"{error.message} (frictionless: {error.type})")


def _readable(project: Project, data: Path, descriptor: dict[str, Any]) -> None:
    shown = project.rel(data)
    if not data.is_file():
        raise GalleyError(
            f"data file not found; create it or fix `path` in {DATAPACKAGE}", path=shown
        )
    empty = data.stat().st_size == 0
    if codecs.lookup(str(descriptor.get("encoding", "utf-8"))).name == "utf-8":
        # read_utf8's message says where a byte is not UTF-8
        empty = empty or not read_utf8(data, shown).strip()
    if empty:  # frictionless would blame the descriptor: "the source is empty"
        names = ", ".join(str(f["name"]) for f in descriptor["schema"]["fields"])
        raise GalleyError(
            f"the data file is empty; write its header ({names}) and its rows, or remove "
            f"the resource from {DATAPACKAGE}",
            path=shown,
        )


def _config_error(exc: FrictionlessException, where: str = "") -> ConfigError:
    reasons = "; ".join(r.message for r in exc.reasons) or exc.error.message
    return ConfigError(f"{where}{reasons}; fix it in {DATAPACKAGE}", path=DATAPACKAGE)


def _slow_patterns(
    project: Project, resources: dict[str, tuple[Path, dict[str, Any]]], base: str
) -> list[Problem]:
    for data, descriptor in resources.values():
        schema = descriptor["schema"]
        if not any("pattern" in f.get("constraints", {}) for f in schema["fields"]):
            continue
        records = _records(Resource.from_descriptor(descriptor, basepath=base), data)
        slow = slow_patterns(schema, records, project.rel(data))
        if slow:
            return slow
    return []


def validate(
    project: Project, resources: dict[str, tuple[Path, dict[str, Any]]], keys: set[str]
) -> list[Problem]:
    """Every finding of frictionless (and of the citation-key check) in the package's resources
    (by name: each one's data file and its descriptor, as galley.steps.descriptor prepared it)."""
    base = str((project.root / DATAPACKAGE).parent)
    for name, (data, descriptor) in resources.items():
        try:  # each on its own first, so that a mistake names its resource
            Resource.from_descriptor(descriptor, basepath=base)
        except FrictionlessException as exc:
            raise _config_error(exc, f"resource `{name}`: ") from None
        _readable(project, data, descriptor)
    key_fields = {
        name: [str(f["name"]) for f in descriptor["schema"]["fields"] if f.get(CITATION_KEY)]
        for name, (_, descriptor) in resources.items()
    }
    described = {"resources": [descriptor for _, descriptor in resources.values()]}
    slow = _slow_patterns(project, resources, base)
    if slow:
        return slow  # frictionless would not stop on it
    try:
        package = Package.from_descriptor(described, basepath=base)
        report = package.validate(Checklist(checks=[CitationKeys(fields=key_fields, keys=keys)]))
    except FrictionlessException as exc:
        raise _config_error(exc) from None
    for error in report.errors + [e for task in report.tasks for e in task.errors]:
        if isinstance(error, errors.MetadataError):
            raise ConfigError(f"{error.message}; fix it in {DATAPACKAGE}", path=DATAPACKAGE)
    problems: list[Problem] = []
    for task in report.tasks:
        if task.errors:
            data, descriptor = resources[task.name]
            lines = [line for line, _ in _records(package.get_resource(task.name), data)]
            problems += _problems(task.errors, descriptor["schema"], project.rel(data), lines)
    return problems
