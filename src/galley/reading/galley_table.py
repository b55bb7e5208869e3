"""galley's own settings: the `[tool.galley]` table of the project's pyproject.toml."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from galley.errors import ConfigError
from galley.reading import settings_cache
from galley.util.textfile import read_utf8

# The tables `[tool.galley]` may hold.
GALLEY_TABLES = ("steps", "check", "links")


def galley_table(root: Path) -> dict[str, Any]:
    """The project's `[tool.galley]` table of pyproject.toml (empty without one): its keys checked,
    a syntax error reported with its line."""
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return {}
    text = read_utf8(pyproject, pyproject.name, ConfigError)
    section = settings_cache.parsed(text, "[tool.galley]", _galley_section, root)
    if not isinstance(section, dict):
        raise ConfigError("[tool.galley] must be a table", path=pyproject)
    for key in section:
        if key not in GALLEY_TABLES:
            raise ConfigError(
                f"[tool.galley] has an unknown key `{key}`; known keys: {', '.join(GALLEY_TABLES)}",
                path=pyproject.name,
                line=_toml_line(pyproject, key),
            )
    return section


def _galley_section(text: str) -> Any:
    """What pyproject.toml's `text` sets under `[tool.galley]` (an empty table without it)."""
    import tomllib  # only for a text not read before (galley.reading.settings_cache)

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column \d+\)$", str(exc))
        message = str(exc)[: where.start()].strip() if where else str(exc)
        raise ConfigError(
            f"invalid TOML: {message}; fix the syntax",
            path="pyproject.toml",
            line=int(where[1]) if where else None,
        ) from None
    tool = data.get("tool", {})
    return tool.get("galley", {}) if isinstance(tool, dict) else {}


def _toml_line(pyproject: Path, key: str) -> int | None:
    """The line that sets `key` in `[tool.galley]`, or opens `[tool.galley.<key>...]`."""
    in_galley = False
    for number, line in enumerate(pyproject.read_text(encoding="utf-8").split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            header = stripped.strip("[] ").replace(" ", "")
            if header.startswith(f"tool.galley.{key}") or header == f'tool.galley."{key}"':
                return number
            in_galley = header == "tool.galley"
        elif in_galley and stripped.split("=")[0].strip().strip("\"'") == key:
            return number
    return None
