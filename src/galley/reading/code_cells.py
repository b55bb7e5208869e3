"""Executable code cells (```` ```{python} ````, ```` ```{r echo=FALSE} ````) as Quarto writes them
when it does not run them, for the embedded engine, which has no Jupyter or knitr.

Pandoc alone reads `{python}` as no attribute at all, so its fence would not open a code block
and the rest of the document would turn into one long inline code span. Quarto turns a cell
into a `.cell` div holding the code as a `.cell-code` block, without the `#|` option lines, and
then its outputs (src/resources/jupyter/notebook.py, src/core/jupyter/jupyter.ts). A cell that is
not run has no outputs; `echo: false` leaves out the code and `include: false` the whole cell,
whether from the cell's options or from `execute:` in the front matter or `_quarto.yml`.

When Quarto would have run a cell (execution not disabled with `execute: enabled: false`, the
cell not `eval: false`), the build warns once, at the first such cell: its outputs are missing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

# Quarto's pattern for a cell's fence: `{lang}` or `{lang options}` (`{r, echo=FALSE}`).
CELL = re.compile(
    r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*\{(?P<lang>[A-Za-z0-9_]+)(?P<options>[ ,][^}]*)?\}\s*$"
)
OPTION_LINE = re.compile(r"^\s*(?:#|//|--|%)\|\s?(?P<yaml>.*)$")
INLINE_OPTION = re.compile(r"(?P<key>[\w.-]+)\s*=\s*(?P<value>\"[^\"]*\"|'[^']*'|[^\s,]+)")
CELL_OPTIONS = ("echo", "eval", "include")

Origin = TypeVar("Origin")


def show_code_cells(
    lines: list[str], origins: list[Origin], layers: Sequence[Mapping[str, Any]]
) -> tuple[list[str], list[Origin], Origin | None]:
    """`lines` (with their `origins`) with each executable cell as Quarto renders it unrun, and
    the origin of the first cell Quarto would have run, if any. `layers`: `_quarto.yml` and the
    front matter, whose `execute:` options Quarto merges key by key, the later winning."""
    defaults: dict[str, Any] = {}
    for layer in layers:
        execute = layer.get("execute")
        defaults.update(execute if isinstance(execute, dict) else {})
    enabled = defaults.get("enabled") is not False
    out: list[str] = []
    out_origins: list[Origin] = []
    unrun: Origin | None = None
    index = 0
    while index < len(lines):
        match = CELL.match(lines[index])
        closing = _closing(lines, index, match["fence"]) if match else None
        if match is None or closing is None:
            out.append(lines[index])
            out_origins.append(origins[index])
            index += 1
            continue
        body = lines[index + 1 : closing]
        body_origins = origins[index + 1 : closing]
        options, code_start = _options(body, match["options"] or "")
        chosen = {key: options.get(key, defaults.get(key)) for key in CELL_OPTIONS}
        if enabled and chosen["eval"] is not False and unrun is None:
            unrun = origins[index]
        if chosen["include"] is not False and chosen["echo"] is not False:
            fence = match["indent"] + match["fence"]
            out += ["::: {.cell}", f"{fence} {{.{match['lang']} .cell-code}}"]
            out += body[code_start:] + [fence, ":::"]
            out_origins += [origins[index]] * 2 + body_origins[code_start:] + [origins[closing]] * 2
        index = closing + 1
    return out, out_origins, unrun


def _closing(lines: list[str], start: int, fence: str) -> int | None:
    """The line closing the cell opened at `start`: a fence of the same character, at least as
    long, with nothing after it; None when the cell is never closed (pandoc's reading too)."""
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
            return index
    return None


def _options(body: list[str], inline: str) -> tuple[dict[str, Any], int]:
    """The cell's options (inline `key=value` ones, then the `#|` lines, which win) and the
    index of its first line of code."""
    options: dict[str, Any] = {}
    for found in INLINE_OPTION.finditer(inline):
        value = found["value"].strip("\"'")
        options[found["key"]] = {"TRUE": True, "FALSE": False}.get(value.upper(), value)
    count = 0
    while count < len(body) and OPTION_LINE.match(body[count]):
        count += 1
    if count:
        options.update(_option_lines(body[:count]))
    return options, count


def _option_lines(lines: list[str]) -> dict[str, Any]:
    """The options the cell's `#|` lines set (none when they are not a YAML mapping)."""
    import yaml  # only for a cell with option lines: a build without one never loads PyYAML

    try:
        parsed = yaml.safe_load("\n".join(OPTION_LINE.sub(r"\g<yaml>", line) for line in lines))
    except yaml.YAMLError:
        parsed = None  # Quarto would stop on it; the code is still shown
    return parsed if isinstance(parsed, dict) else {}


def unrun_cells_warning(path: str, line: int) -> str:
    """The build's one warning when Quarto would have run cells that galley shows unrun."""
    return (
        f"galley: warning: {path}:{line}: code cells are not run by galley's embedded engine "
        "(it has no Jupyter, knitr or diagram renderer), so their outputs are missing; build "
        "with Quarto (`--engine quarto`), or set `execute: enabled: false` to say they are not "
        "to run"
    )
