"""The YAML a project is written in, read as Quarto reads it: settings files (`_quarto.yml`,
metadata files, `_variables.yml`) and an article's front matter, each error with file and line.
Given the project's root, a text read before is not read again (galley.reading.settings_cache):
PyYAML and galley's reader on it (galley.reading.yamlfile) are imported only for a new text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from galley.errors import ConfigError, GalleyError
from galley.reading import settings_cache
from galley.util.textfile import read_utf8


def read_yaml(path: Path, settings: bool = True, root: Path | None = None) -> Any:
    """Parse a YAML file of `settings` (as `yamlfile.load_settings`) or of plain values, with the
    cache of the project at `root` (None: none); a syntax error names the file and line."""
    text = read_utf8(path, error=ConfigError)
    kind = "settings" if settings else "values"
    return settings_cache.parsed(text, kind, lambda text: _read_yaml(text, settings, path), root)


def _read_yaml(text: str, settings: bool, path: Path) -> Any:
    import yaml  # PyYAML and galley's reader: only for a text not read before

    from galley.reading import yamlfile

    try:
        return (yamlfile.load_settings if settings else yamlfile.load)(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(f"invalid YAML: {problem}", path=path, line=line) from None
    except RecursionError:
        raise ConfigError("invalid YAML: nested too deeply", path=path) from None


def parse_front_matter(
    yaml_lines: list[str], shown: str, root: Path | None = None
) -> dict[str, Any]:
    """The front matter's YAML (the lines between the `---` fences) as a mapping, with the cache
    of the project at `root` (None: none); an error names the file `shown` and the line."""
    if not yaml_lines:
        return {}
    # After the `---` line, so that YAML's line numbers are the file's.
    text = "\n" + "\n".join(yaml_lines)
    front = (
        settings_cache.parsed(text, "settings", lambda t: _read_front_matter(t, shown), root) or {}
    )
    if not isinstance(front, dict):
        raise GalleyError("front matter must be a YAML mapping", path=shown)
    return front


def _read_front_matter(text: str, shown: str) -> Any:
    import yaml  # as in `_read_yaml`

    from galley.reading import yamlfile

    try:
        return yamlfile.load_settings(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise GalleyError(
            f"invalid YAML front matter: {getattr(exc, 'problem', exc)}",
            path=shown,
            line=mark.line + 1 if mark is not None else None,
        ) from None


def front_matter_lines(lines: list[str]) -> tuple[int, int] | None:
    """Where a leading `---` YAML block lies in `lines`: (first YAML line, closing fence)."""
    if not lines or lines[0].strip() != "---":
        return None
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            return 1, end
    return None
