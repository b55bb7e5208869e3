"""What `data/datapackage.json` may say, checked before any data file is opened: each resource a
mapping whose paths stay inside the project, each field a mapping with a name, a type galley
checks and well-formed constraints. A mistake is a configuration error naming the resource and
the field and saying what to write, never a traceback; a message never quotes a file the
descriptor points to, only what the author wrote in the descriptor.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

from galley.errors import ConfigError
from galley.project import Project

DATAPACKAGE = Path("data/datapackage.json")
TYPES = ("string", "integer", "number", "boolean", "date", "year")
WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")
URL = re.compile(r"^[a-zA-Z][\w+.-]*://")
NUMBER_BOUNDS = ("minimum", "maximum")
LENGTH_BOUNDS = ("minLength", "maxLength")
FLAGS = ("required", "unique")


def _error(message: str) -> ConfigError:
    return ConfigError(message, path=DATAPACKAGE)


def inside_path(project: Project, base: Path, value: object, what: str, resource: str) -> Path:
    """The file a resource's `path` (or `schema`) names; it must be relative, without `..`, and
    lead to a file inside the project (as the Frictionless spec requires: no absolute paths, no
    `..`)."""
    if not isinstance(value, str) or not value.strip():
        raise _error(f"resource `{resource}` has no `{what}` to a file; add one, relative to data/")
    posix = PurePosixPath(value.replace("\\", "/"))
    if posix.is_absolute() or ".." in posix.parts or WINDOWS_DRIVE.match(value) or URL.match(value):
        raise _error(
            f"resource `{resource}`: `{what}` `{value}` must be a relative path inside data/ "
            "without `..` "
            "(the Frictionless spec forbids absolute paths, `..` and URLs here); copy the file "
            "into the project and name it relative to data/"
        )
    path = (base / posix).resolve()
    if not path.is_relative_to(project.root):
        raise _error(
            f"resource `{resource}`: `{what}` `{value}` leads outside the project through a link; "
            "copy the file into the project"
        )
    return path


def resource_name(descriptor: object, index: int) -> str:
    """How messages name a resource: its `name`, or its position."""
    if isinstance(descriptor, dict) and isinstance(descriptor.get("name"), str):
        return str(descriptor["name"])
    return f"#{index + 1}"


def check_resource_shape(descriptor: object, index: int) -> dict[str, Any]:
    if not isinstance(descriptor, dict):
        raise _error(
            f"resource #{index + 1} is not an object; write each resource as "
            '{"name": ..., "path": "file.csv", "schema": {"fields": [...]}}'
        )
    return descriptor


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _bound_ok(kind: str, value: object) -> bool:
    if kind == "date":
        return isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None
    return _number(value)


def check_field(spec: object, position: int, resource: str) -> dict[str, Any]:
    """The field's description, once it is one galley can check with."""
    where = f"resource `{resource}`, field {position}"
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or not spec["name"]:
        raise _error(f'{where} has no `name`; give each field a name: {{"name": "column"}}')
    where = f"resource `{resource}`, field `{spec['name']}`"
    kind = spec.get("type", "string")
    if kind not in TYPES:
        raise _error(
            f"{where}: type `{kind}` is not one galley checks; use one of {', '.join(TYPES)} "
            "(a `datetime` column can be a `string` with a `pattern`)"
        )
    constraints = spec.get("constraints", {})
    if not isinstance(constraints, dict):
        raise _error(f'{where}: `constraints` must be an object, such as {{"required": true}}')
    for name in NUMBER_BOUNDS:
        if name in constraints and not _bound_ok(kind, constraints[name]):
            wanted = "a date such as 2020-01-31" if kind == "date" else "a number"
            raise _error(f"{where}: `{name}` must be {wanted}, without quotes for a number")
    for name in LENGTH_BOUNDS:
        value = constraints.get(name, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise _error(f"{where}: `{name}` must be a whole number of characters")
    for name in FLAGS:
        if not isinstance(constraints.get(name, False), bool):
            raise _error(f"{where}: `{name}` must be true or false")
    if not isinstance(constraints.get("enum", []), list):
        raise _error(f"{where}: `enum` must be a list of the allowed values")
    if "pattern" in constraints:
        try:
            re.compile(str(constraints["pattern"]))
        except re.error as exc:
            raise _error(
                f"{where}: `pattern` is not a valid regular expression ({exc}); fix it"
            ) from None
    return spec
