"""What `data/datapackage.json` may say, checked before any data file is opened: each resource a
mapping whose paths stay inside the project, each field a mapping with a name, a Table Schema type
and well-formed constraints. A mistake is a configuration error naming the resource and the field
and saying what to write, never a traceback; a message never quotes a file the descriptor points
to, only what the author wrote in the descriptor.

`for_validation` hands frictionless a resource whose schema and dialect are already read (from
checked paths) and whose only file is the checked data file, so frictionless reads nothing else.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

from galley.errors import ConfigError
from galley.project import Project
from galley.util.jsonfile import load_json

DATAPACKAGE = Path("data/datapackage.json")
TYPES = (
    "string",
    "number",
    "integer",
    "boolean",
    "object",
    "array",
    "list",
    "date",
    "time",
    "datetime",
    "year",
    "yearmonth",
    "duration",
    "geopoint",
    "geojson",
    "any",
)
TEMPORAL = ("date", "time", "datetime", "yearmonth", "duration")
# What frictionless needs to read and check the rows. A custom `profile` or `$schema` would make
# it fetch a JSON Schema from the network, so those stay behind.
RESOURCE_KEYS = (
    "name",
    "path",
    "format",
    "mediatype",
    "encoding",
    "dialect",
    "schema",
    "bytes",
    "hash",
)
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
    if kind in TEMPORAL:
        return isinstance(value, str) and bool(value.strip())
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
            f"{where}: type `{kind}` is not a Table Schema type; use one of {', '.join(TYPES)}"
        )
    constraints = spec.get("constraints", {})
    if not isinstance(constraints, dict):
        raise _error(f'{where}: `constraints` must be an object, such as {{"required": true}}')
    for name in NUMBER_BOUNDS:
        if name in constraints and not _bound_ok(kind, constraints[name]):
            wanted = f'a {kind} in quotes, such as "2020-01-31"' if kind in TEMPORAL else "a number"
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


def load_package(project: Project) -> list[Any] | None:
    """The resources of data/datapackage.json, or None when there is none."""
    path = project.root / DATAPACKAGE
    if not path.is_file():
        return None
    package = load_json(path, DATAPACKAGE.as_posix())
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list):
        raise _error("needs a list of `resources`")
    return resources


def for_validation(project: Project, descriptor: object, index: int) -> tuple[Path, dict[str, Any]]:
    """The resource's data file and its descriptor as frictionless will read it (see the
    module's docstring); every field checked with `check_field`."""
    resource = check_resource_shape(descriptor, index)
    name = resource_name(resource, index)
    base = (project.root / DATAPACKAGE).parent
    data = inside_path(project, base, resource.get("path"), "path", name)
    ready = {key: resource[key] for key in RESOURCE_KEYS if key in resource}
    # frictionless requires a name; the spec derives one from the file name
    ready.setdefault("name", re.sub(r"[^a-z0-9._-]+", "-", data.stem.lower()) or "data")
    for key in ("schema", "dialect"):
        if isinstance(ready.get(key), str):
            path = inside_path(project, base, ready[key], key, name)
            ready[key] = load_json(path, project.rel(path))
    schema = ready.get("schema")
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        raise _error(f"resource `{name}` needs a `schema` with a list of `fields`")
    for position, spec in enumerate(schema["fields"], start=1):
        check_field(spec, position, name)
    ready["schema"] = {k: v for k, v in schema.items() if k not in ("profile", "$schema")}
    return data, ready
