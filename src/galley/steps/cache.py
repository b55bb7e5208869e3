"""What each step was last built from, by content hash, in `.galley/cache/steps.json`.

A step is stale when its script, an input, its declared environment (Python and the versions of
the packages in `env`) or one of its outputs differs from the record, or when it has no record.
A notebook step is also stale when its executed notebook (kept for the reviewer notebook) is.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from galley.project import Project
from galley.steps.config import Step
from galley.steps.digests import Digests, sha256
from galley.util import json_cache
from galley.util.package_versions import installed_version

CACHE_FILE = "cache/steps.json"
EXECUTED_NOTEBOOKS = "cache/notebooks"
FORMAT = 1
MISSING = "missing"
# What `record` gives for each step.
_STEP = json_cache.Record(
    {
        "script": str, "inputs": json_cache.Map(str), "env": json_cache.Map(str),
        "outputs": json_cache.Map(str), "executed": str,
    },
    optional=frozenset({"executed"}),
)  # fmt: skip
SHAPE = json_cache.Record({"format": int, "steps": json_cache.Map(_STEP)})


def file_hashes(
    project: Project, paths: tuple[str, ...], digests: Digests | None = None
) -> dict[str, str]:
    """Content hash of each path; a missing file gets MISSING so it always differs. With
    `digests`, a file unchanged since its digest was taken is not read again."""
    hashes = {}
    for path in paths:
        full = project.root / path
        if not full.is_file():
            hashes[path] = MISSING
        else:
            hashes[path] = digests.of(full) if digests else sha256(full)
    return hashes


def environment(step: Step) -> dict[str, str]:
    # platform.python_version()'s answer, without importing platform (and its regexes) in
    # every build: sys.version opens with the full version on CPython.
    versions = {"python": sys.version.split()[0]}
    for package in step.env:
        versions[package] = installed_version(package) or "not installed"
    return versions


def executed_notebook(project: Project, step: Step) -> Path:
    """Where the last run of a notebook step is kept, outputs included."""
    return project.cache_dir / EXECUTED_NOTEBOOKS / f"{step.name}.ipynb"


def record(project: Project, step: Step, digests: Digests | None = None) -> dict[str, Any]:
    """The step's current state: what the cache stores and staleness compares."""
    current = {
        "script": file_hashes(project, (step.script,), digests)[step.script],
        "inputs": file_hashes(project, step.inputs, digests),
        "env": environment(step),
        "outputs": file_hashes(project, step.outputs, digests),
    }
    if step.is_notebook:
        executed = executed_notebook(project, step)
        current["executed"] = sha256(executed) if executed.is_file() else MISSING
    return current


def _changed(kind: str, old: dict[str, str], new: dict[str, str]) -> str | None:
    for key in sorted(set(old) | set(new)):
        if key not in old:
            return f"{kind} `{key}` is new"
        if key not in new:
            return f"{kind} `{key}` is no longer declared"
        if old[key] != new[key]:
            return f"{kind} `{key}` changed"
    return None


def stale_reason(
    previous: dict[str, Any] | None, current: dict[str, Any], step: Step
) -> str | None:
    """Why the step must run again, or None when its record still holds."""
    if previous is None:
        return "never built"
    if previous.get("script") != current["script"]:
        return f"script `{step.script}` changed"
    reason = _changed("input", previous.get("inputs", {}), current["inputs"])
    if reason:
        return reason
    old_env, new_env = previous.get("env", {}), current["env"]
    for package in sorted(set(old_env) | set(new_env)):
        if old_env.get(package) != new_env.get(package):
            was, now = old_env.get(package, "undeclared"), new_env.get(package, "undeclared")
            return f"environment changed: {package} {was} -> {now}"
    for path, digest in current["outputs"].items():
        if digest == MISSING:
            return f"output `{path}` is missing"
    reason = _changed("output", previous.get("outputs", {}), current["outputs"])
    if reason is None and previous.get("executed") != current.get("executed"):
        return "its executed notebook (the reviewer's copy) is missing or changed"
    return reason


class StepCache:
    """The records of all steps; `save` writes them atomically."""

    def __init__(self, project: Project) -> None:
        self.path = project.cache_dir / CACHE_FILE
        # No cache, or a damaged one: every step is simply rebuilt.
        data = json_cache.load(self.path, SHAPE)
        self.entries: dict[str, dict[str, Any]] = (
            data["steps"] if data.get("format") == FORMAT else {}
        )

    def get(self, name: str) -> dict[str, Any] | None:
        return self.entries.get(name)

    def put(self, name: str, entry: dict[str, Any]) -> None:
        self.entries[name] = entry

    def save(self) -> None:
        data = {"format": FORMAT, "steps": dict(sorted(self.entries.items()))}
        json_cache.save(self.path, data, indent=2)
