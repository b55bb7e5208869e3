"""Check the project's data against `data/datapackage.json` before any step reads it.

A subset of Frictionless Table Schema: field types string, integer, number, boolean, date and
year; constraints required, unique, minimum, maximum, minLength, maxLength, enum and pattern;
primaryKey. One galley extension: a field with `"galley:citationKey": true` may only hold
citation keys of the project's bibliography (empty is allowed unless the field is required).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from galley.errors import ConfigError, GalleyError, cannot_read
from galley.project import Project
from galley.steps.descriptor import DATAPACKAGE, check_field, check_resource_shape, inside_path
from galley.textfile import read_utf8

CITATION_KEY = "galley:citationKey"
TRUE = {"true", "True", "TRUE", "1"}
FALSE = {"false", "False", "FALSE", "0"}
BIB_KEY = re.compile(r"^\s*@(?!comment|string|preamble)\w+\s*[{(]\s*([^,\s]+)\s*,", re.I | re.M)
MAX_REPORTED = 20


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _parse(kind: str, text: str) -> Any:
    """The typed value, or raise ValueError naming what `text` is not."""
    if kind == "string":
        return text
    if kind == "integer" and re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if kind == "year" and re.fullmatch(r"\d{4}", text):
        return int(text)
    if kind == "number" and re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
        return float(text)
    if kind == "boolean" and text in TRUE | FALSE:
        return text in TRUE
    if kind == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    article = "an" if kind[0] in "aeiou" else "a"
    raise ValueError(f'"{text}" is not {article} {kind}')


def _bound(kind: str, value: Any) -> Any:
    return date.fromisoformat(value) if kind == "date" and isinstance(value, str) else value


def citation_keys(project: Project) -> set[str]:
    """Keys of every bibliography (.bib, or CSL JSON); an unreadable one is an error."""
    keys: set[str] = set()
    for bib in project.bibliographies:
        text = read_utf8(bib, project.rel(bib))
        if bib.suffix == ".json":
            keys |= _csl_json_keys(text, project.rel(bib))
        else:
            keys |= set(BIB_KEY.findall(text))
    return keys


def _csl_json_keys(text: str, shown: str) -> set[str]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GalleyError(
            f"invalid CSL JSON: {exc.msg}; fix the syntax", path=shown, line=exc.lineno
        ) from None
    if not isinstance(items, list):
        raise GalleyError("a CSL JSON bibliography must be a list of entries", path=shown)
    return {str(item["id"]) for item in items if isinstance(item, dict) and "id" in item}


class _Field:
    def __init__(self, spec: dict[str, Any]) -> None:  # checked by descriptor.check_field
        self.name: str = spec["name"]
        self.kind: str = spec.get("type", "string")
        self.constraints: dict[str, Any] = spec.get("constraints", {})
        self.citation_key = bool(spec.get(CITATION_KEY))
        self.seen: dict[str, int] = {}

    def check(self, text: str, line: int, keys: set[str]) -> str | None:
        """What is wrong with one cell, or None."""
        c = self.constraints
        if text == "":
            return "a value is required" if c.get("required") else None
        try:
            value = _parse(self.kind, text)
        except ValueError as exc:
            return str(exc)
        if "minimum" in c and value < _bound(self.kind, c["minimum"]):
            return f'"{text}" is below the minimum {c["minimum"]}'
        if "maximum" in c and value > _bound(self.kind, c["maximum"]):
            return f'"{text}" is above the maximum {c["maximum"]}'
        if "minLength" in c and len(text) < c["minLength"]:
            return f'"{text}" is shorter than {c["minLength"]} characters'
        if "maxLength" in c and len(text) > c["maxLength"]:
            return f'"{text}" is longer than {c["maxLength"]} characters'
        if "enum" in c and value not in c["enum"] and text not in map(str, c["enum"]):
            allowed = ", ".join(str(v) for v in c["enum"])
            return f'"{text}" is not one of the allowed values ({allowed})'
        if "pattern" in c and not re.fullmatch(c["pattern"], text):
            return f'"{text}" does not match the pattern {c["pattern"]}'
        if self.citation_key and text not in keys:
            return (
                f'"{text}" is not a citation key of the bibliography; add the entry or fix the key'
            )
        if c.get("unique"):
            if text in self.seen:
                first = self.seen[text]
                return f'"{text}" is a duplicate (first at line {first}); values must be unique'
            self.seen[text] = line
        return None


def _schema(project: Project, descriptor: dict[str, Any], base: Path, where: str) -> dict[str, Any]:
    schema = descriptor.get("schema")
    if isinstance(schema, str):
        path = inside_path(project, base, schema, "schema", where)
        schema = _load_json(path, project.rel(path))
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        raise ConfigError(
            f"resource `{where}` needs a `schema` with a list of `fields`", path=DATAPACKAGE
        )
    return schema


def _load_json(path: Path, shown: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except PermissionError:
        raise ConfigError(cannot_read(shown)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read {shown}: {exc.strerror}", path=path.name) from None
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"invalid JSON: {exc.msg}; fix the syntax", path=shown, line=exc.lineno
        ) from None


def check_resource(
    project: Project, descriptor: dict[str, Any], base: Path, keys: set[str]
) -> list[Problem]:
    """Every problem in one CSV resource, each with its file, line and column."""
    name = str(descriptor.get("name") or descriptor.get("path") or "?")
    path = inside_path(project, base, descriptor.get("path"), "path", name)
    schema = _schema(project, descriptor, base, name)
    fields = [
        _Field(check_field(spec, position, name))
        for position, spec in enumerate(schema["fields"], start=1)
    ]
    primary = schema.get("primaryKey") or []
    primary = [primary] if isinstance(primary, str) else list(primary)
    for f in fields:  # a key column is required; a one-column key is also unique
        if f.name in primary:
            f.constraints = {
                **f.constraints,
                "required": True,
                "unique": bool(f.constraints.get("unique")) or len(primary) == 1,
            }
    if len(primary) == 1:
        primary = []  # checked by the column's `unique` constraint
    if any(f.citation_key for f in fields) and not project.bibliographies:
        raise ConfigError(
            f"resource `{name}` checks citation keys but _quarto.yml names no `bibliography`",
            path=DATAPACKAGE,
        )
    shown = project.rel(path)
    if not path.exists():
        raise GalleyError(
            f"data file not found; create it or fix `path` in {DATAPACKAGE}", path=shown
        )
    content = read_utf8(path, shown)  # a UTF-8 byte-order mark (Excel's) is dropped
    problems: list[Problem] = []
    primary_seen: dict[tuple[str, ...], int] = {}
    reader = csv.reader(io.StringIO(content, newline=""))
    header = next(reader, [])
    names = [f.name for f in fields]
    if header != names:
        return [
            Problem(
                shown,
                1,
                f"the header has columns {header} but the schema in {DATAPACKAGE} "
                f"lists {names}; make them match",
            )
        ]
    for row in reader:
        line = reader.line_num
        if len(row) != len(fields):
            problems.append(
                Problem(
                    shown,
                    line,
                    f"{len(row)} value{'s' if len(row) != 1 else ''} for {len(fields)} columns; "
                    "give one per column and quote any value that holds a comma",
                )
            )
            continue
        for f, text in zip(fields, row, strict=True):
            message = f.check(text, line, keys)
            if message:
                problems.append(Problem(shown, line, f"column {f.name}: {message}"))
        if primary:
            values = tuple(row[names.index(k)] for k in primary)
            if values in primary_seen:
                key, first = ", ".join(primary), primary_seen[values]
                message = f'primary key ({key}): "{", ".join(values)}" is a duplicate '
                problems.append(Problem(shown, line, f"{message}(first at line {first})"))
            primary_seen.setdefault(values, line)
    return problems


def data_problems(project: Project) -> list[Problem]:
    """Every problem in the rows of data/datapackage.json's resources (none without one): what
    `build` refuses and `check` reports. A package that cannot be read at all raises."""
    package_path = project.root / DATAPACKAGE
    if not package_path.is_file():
        return []
    package = _load_json(package_path, DATAPACKAGE.as_posix())
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list):
        raise ConfigError("needs a list of `resources`", path=DATAPACKAGE)
    keys = citation_keys(project) if project.bibliographies else set()
    return [
        p
        for index, r in enumerate(resources)
        for p in check_resource(project, check_resource_shape(r, index), package_path.parent, keys)
    ]


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
