"""Step declarations from `[tool.galley.steps.<name>]` in pyproject.toml, checked before use.

A step names its `script` (a .py file or a .ipynb notebook), the files it reads (`inputs`), the
files it writes (`outputs`), optionally the packages whose versions it depends on (`env`), a
`timeout` in seconds, and for workflow engines (`galley export snakemake`) the `resources` it needs
(`threads`, `mem_mb`, `runtime` in minutes) and a `container` image to run in. galley's own runner
uses `threads` (a step takes that many of `-j`'s slots) and leaves the rest to the engines.
Paths are relative to the project folder.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from galley.errors import ConfigError
from galley.project import Project

PYPROJECT = "pyproject.toml"
KNOWN_KEYS = ("script", "inputs", "outputs", "env", "timeout", "resources", "container")
# Snakemake's names and units: threads per job, memory in MB, wall time in minutes.
RESOURCE_KEYS = ("threads", "mem_mb", "runtime")
DEFAULT_TIMEOUT = 600.0
NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
# An image reference as Docker and Apptainer write it (`docker://python:3.12-slim`,
# `ghcr.io/org/img@sha256:…`): no spaces, quotes or other shell or Snakefile syntax.
CONTAINER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/@+-]*")


class Resources(NamedTuple):
    """What a step asks of the machine that runs it; None where it does not say."""

    threads: int | None = None
    mem_mb: int | None = None
    runtime: int | None = None  # minutes

    def declared(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in RESOURCE_KEYS if getattr(self, key) is not None}


@dataclass(frozen=True)
class Step:
    name: str
    script: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    env: tuple[str, ...] = ()
    timeout: float = DEFAULT_TIMEOUT
    resources: Resources = Resources()
    container: str | None = None

    @property
    def is_notebook(self) -> bool:
        return self.script.endswith(".ipynb")


def _header_line(root: Path, name: str) -> int | None:
    """The line of `[tool.galley.steps.<name>]`, so messages can point at it."""
    try:
        lines = (root / PYPROJECT).read_text(encoding="utf-8").split("\n")
    except OSError:
        return None
    header = re.compile(rf"^\s*\[\s*tool\.galley\.steps\.[\"']?{re.escape(name)}[\"']?\s*\]")
    return next((i for i, line in enumerate(lines, start=1) if header.match(line)), None)


def _error(project: Project, name: str, message: str) -> ConfigError:
    return ConfigError(
        f"[tool.galley.steps.{name}]: {message}",
        path=PYPROJECT,
        line=_header_line(project.root, name),
    )


def _path(project: Project, name: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise _error(project, name, f"`{key}` entries must be non-empty strings (paths)")
    pure = PurePosixPath(value)
    if pure.is_absolute() or ".." in pure.parts:
        raise _error(
            project, name, f"`{key}` path `{value}` must be relative to the project, without `..`"
        )
    return pure.as_posix()


def _paths(project: Project, name: str, table: dict[str, Any], key: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list):
        raise _error(project, name, f'`{key}` must be a list of paths, like ["data/x.csv"]')
    paths = tuple(_path(project, name, key, v) for v in value)
    for index, path in enumerate(paths):
        if path in paths[:index]:
            raise _error(project, name, f"`{key}` lists `{path}` twice; remove one")
    return paths


def _step(project: Project, name: str, table: Any) -> Step:
    if not NAME.fullmatch(name):
        raise _error(project, name, "a step name may use letters, digits, `_`, `-` and `.`")
    if not isinstance(table, dict):
        raise _error(project, name, "must be a table with `script`, `inputs` and `outputs`")
    unknown = sorted(set(table) - set(KNOWN_KEYS))
    if unknown:
        raise _error(
            project,
            name,
            f"unknown key `{unknown[0]}`; the known keys are {', '.join(KNOWN_KEYS)}",
        )
    if "script" not in table:
        raise _error(
            project,
            name,
            'no `script`; name the file that makes the outputs: script = "scripts/x.py"',
        )
    script = _path(project, name, "script", table["script"])
    if not script.endswith((".py", ".ipynb")):
        raise _error(project, name, f"script `{script}` must be a .py file or a .ipynb notebook")
    if not (project.root / script).is_file():
        raise _error(project, name, f"script `{script}` does not exist; create it or fix the path")
    outputs = _paths(project, name, table, "outputs")
    if not outputs:
        raise _error(project, name, "no `outputs`; list the files the script writes")
    inputs = _paths(project, name, table, "inputs")
    for path in outputs:
        if path in inputs or path == script:
            raise _error(
                project, name, f"`{path}` is both read and written; a step cannot rewrite its input"
            )
        if PurePosixPath(path).parts[0] in (".galley", ".git"):
            raise _error(project, name, f"output `{path}` is inside a folder galley reserves")
    env = table.get("env", [])
    if not isinstance(env, list) or not all(isinstance(e, str) for e in env):
        raise _error(project, name, '`env` must be a list of package names, like ["pandas"]')
    timeout = table.get("timeout", DEFAULT_TIMEOUT)
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, int | float)
        or not 0 < timeout < math.inf  # also refuses nan, which no comparison holds for
    ):
        raise _error(project, name, "`timeout` must be a positive, finite number of seconds")
    return Step(
        name,
        script,
        inputs,
        outputs,
        tuple(env),
        float(timeout),
        _resources(project, name, table.get("resources", {})),
        _container(project, name, table.get("container")),
    )


def _resources(project: Project, name: str, value: Any) -> Resources:
    example = "resources = { threads = 4, mem_mb = 8000, runtime = 120 }"
    if not isinstance(value, dict):
        raise _error(project, name, f"`resources` must be a table, like {example}")
    unknown = sorted(set(value) - set(RESOURCE_KEYS))
    if unknown:
        raise _error(
            project,
            name,
            f"`resources` has an unknown key `{unknown[0]}`; the known keys are "
            f"{', '.join(RESOURCE_KEYS)} (memory in MB, runtime in minutes)",
        )
    for key, amount in value.items():
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
            raise _error(
                project,
                name,
                f"`resources.{key}` must be a whole number above zero, not {amount!r}",
            )
    return Resources(**value)


def _container(project: Project, name: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not CONTAINER.fullmatch(value):
        raise _error(
            project,
            name,
            f'`container` must be an image name like "docker://python:3.12-slim", not {value!r}',
        )
    return value


def load_steps(project: Project) -> dict[str, Step]:
    """The project's steps by name, checked one by one and together; {} when none are declared."""
    tables = project.galley.get("steps", {})
    if not isinstance(tables, dict):
        raise ConfigError("[tool.galley.steps] must be a table of steps", path=PYPROJECT)
    steps = {name: _step(project, name, table) for name, table in tables.items()}
    writers: dict[str, str] = {}
    for step in steps.values():
        for path in step.outputs:
            if path in writers:
                raise _error(
                    project,
                    step.name,
                    f"output `{path}` is also written by step `{writers[path]}`; "
                    "each file must have one writer",
                )
            writers[path] = step.name
    for step in steps.values():
        for path in (step.script, *step.inputs):
            if path not in writers and not (project.root / path).exists():
                raise _error(
                    project,
                    step.name,
                    f"input `{path}` does not exist and no step writes it; "
                    "create it or list it in a step's outputs",
                )
    return steps
