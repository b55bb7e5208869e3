"""`[tool.galley.check]` and `[tool.galley.links]` in the project's pyproject.toml.

    [tool.galley.check]
    disable = ["prose-citation"]          # rule codes not to run
    exclude = ["manuscript/draft.qmd"]    # project files (globs) not to check

    [tool.galley.links]
    timeout = 10            # seconds per request
    deadline = 300          # seconds for the whole run
    concurrency = 32        # requests at once
    per-host = 4            # requests at once to one host
    delay = 0.0             # politeness pause between requests to one host, seconds
    retries = 2             # on 429 and 503, honouring Retry-After
    ttl = 86400             # seconds a cached result stays valid
    doi-resolver = "https://doi.org/"
    exclude = ["https://example.org/private/"]   # URL prefixes not to check
    hosts = { "www.jstor.org" = { per-host = 1, delay = 1.0 } }

An unknown key is a configuration error, so a typo never silently disables a setting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from galley.errors import ConfigError
from galley.project import Project
from galley.util.findings import RULES

PYPROJECT = "pyproject.toml"


class HostConfig(NamedTuple):
    per_host: int = 4
    delay: float = 0.0
    timeout: float = 10.0


@dataclass(frozen=True)
class LinkConfig:
    timeout: float = 10.0
    deadline: float = 300.0
    concurrency: int = 32
    per_host: int = 4
    delay: float = 0.0
    retries: int = 2
    ttl: float = 86400.0
    doi_resolver: str = "https://doi.org/"
    exclude: tuple[str, ...] = ()
    hosts: dict[str, HostConfig] = field(default_factory=dict)
    max_redirects: int = 5
    max_bytes: int = 1_000_000

    def host(self, name: str) -> HostConfig:
        return self.hosts.get(name, HostConfig(self.per_host, self.delay, self.timeout))


class CheckConfig(NamedTuple):
    disable: frozenset[str] = frozenset()
    exclude: tuple[str, ...] = ()

    def excluded_files(self, root: Path) -> set[Path]:
        return {path.resolve() for pattern in self.exclude for path in root.glob(pattern)}


def _table(project: Project, name: str) -> dict[str, Any]:
    value = project.galley.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"[tool.galley.{name}] must be a table", path=PYPROJECT)
    return value


def _typed(section: str, key: str, value: Any, kind: type | tuple[type, ...]) -> Any:
    if isinstance(value, bool) or not isinstance(value, kind):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise ConfigError(f"[{section}] `{key}` must be a {names}, not {value!r}", path=PYPROJECT)
    return value


def _known(section: str, table: dict[str, Any], known: set[str]) -> None:
    for key in table:
        if key not in known:
            raise ConfigError(
                f"[{section}] has an unknown key `{key}`; known keys: {', '.join(sorted(known))}",
                path=PYPROJECT,
            )


def check_config(project: Project) -> CheckConfig:
    table = _table(project, "check")
    _known("tool.galley.check", table, {"disable", "exclude"})
    disable = [
        str(rule) for rule in _typed("tool.galley.check", "disable", table.get("disable", []), list)
    ]
    for rule in disable:
        if rule not in RULES:
            raise ConfigError(
                f"[tool.galley.check] `disable` names an unknown rule `{rule}`; "
                f"rules: {', '.join(RULES)}",
                path=PYPROJECT,
            )
    exclude = _typed("tool.galley.check", "exclude", table.get("exclude", []), list)
    return CheckConfig(frozenset(disable), tuple(str(p) for p in exclude))


NUMBERS = {"timeout": float, "deadline": float, "delay": float, "ttl": float}
INTEGERS = {"concurrency", "per-host", "retries", "max-redirects", "max-bytes"}
# Settings that must be above zero (the others may be zero, none negative or infinite): no
# request could be made with none at once, nor within no time.
POSITIVE = {"timeout", "deadline", "concurrency", "per-host", "max-bytes"}


def _ranged(section: str, key: str, value: Any, kind: type | tuple[type, ...]) -> Any:
    value = _typed(section, key, value, kind)
    low = "a finite number above zero" if key in POSITIVE else "a finite number, zero or more"
    if not math.isfinite(value) or value < 0 or (key in POSITIVE and value == 0):
        raise ConfigError(f"[{section}] `{key}` must be {low}, not {value!r}", path=PYPROJECT)
    return value


def link_config(project: Project) -> LinkConfig:
    section = "tool.galley.links"
    table = _table(project, "links")
    _known(section, table, set(NUMBERS) | INTEGERS | {"doi-resolver", "exclude", "hosts"})
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if key in NUMBERS:
            values[name] = float(_ranged(section, key, value, (int, float)))
        elif key in INTEGERS:
            values[name] = _ranged(section, key, value, int)
        elif key == "doi-resolver":
            values[name] = _typed(section, key, value, str)
        elif key == "exclude":
            values[name] = tuple(str(v) for v in _typed(section, key, value, list))
    base = LinkConfig(**values)
    hosts: dict[str, HostConfig] = {}
    for host, settings in _typed(section, "hosts", table.get("hosts", {}), dict).items():
        where = f'{section}.hosts."{host}"'
        _known(where, _typed(section, host, settings, dict), {"per-host", "delay", "timeout"})
        hosts[host] = HostConfig(
            _ranged(where, "per-host", settings.get("per-host", base.per_host), int),
            float(_ranged(where, "delay", settings.get("delay", base.delay), (int, float))),
            float(_ranged(where, "timeout", settings.get("timeout", base.timeout), (int, float))),
        )
    return LinkConfig(**{**values, "hosts": hosts})


def declared_outputs(project: Project) -> set[Path]:
    """Files a build step declares it writes (`[tool.galley.steps.*].outputs`)."""
    steps = project.galley.get("steps", {})
    outputs: set[Path] = set()
    if isinstance(steps, dict):
        for step in steps.values():
            if isinstance(step, dict):
                outputs |= {(project.root / str(p)).resolve() for p in step.get("outputs", [])}
    return outputs
