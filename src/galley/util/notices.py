"""The one path of the build's warnings: `galley: warning: FILE:LINE: what; what to do`.

An author's slip that Quarto renders with a visible marker (an unknown citation key as **key?**,
a cross-reference to no label as **?@fig-x**, an unknown `{{< meta >}}` key) is a warning here,
printed once however many formats or passes meet it. A build collects what it printed, so that
`galley build --strict` can fail on it, and keeps what each output's render warned about, so that
a build with nothing to render says it again (the output still shows the marker).
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from galley.errors import GalleyError
from galley.util import json_cache

PREFIX = "galley: warning: "
# What each output's last render warned about, under .galley/cache/: output name -> warnings.
CACHE = "render-warnings.json"
SHAPE = json_cache.Map(json_cache.ListOf(str))

_lock = threading.Lock()
# The warnings of the build under way, in the order printed; None outside a build. The formats
# render on threads of their own, so this is one list for the process, not a context variable.
_collected: list[Warned] | None = None
# The `galley check` rules the project disables: a warning tagged with one (`… [missing-key]`) is
# not printed, as `galley check` does not report it.
_disabled: frozenset[str] = frozenset()
RULE_TAG = re.compile(r" \[([a-z-]+)\]$")


@dataclass
class Warned:
    """One printed warning; `rendered`: a render found it, and its output shows the marker."""

    text: str
    rendered: bool


def line(where: str, message: str) -> str:
    """The warning's text: `where` is `path:line` or a path."""
    return f"{PREFIX}{where}: {message}"


def warn(where: str, message: str, *, rendered: bool = False) -> None:
    """Print the warning unless this build printed it already."""
    say(line(where, message), rendered=rendered)


def say(text: str, *, rendered: bool = False) -> None:
    """Print a warning's whole text (see `line`) once per build."""
    tag = RULE_TAG.search(text)
    if tag is not None and tag[1] in _disabled:
        return
    with _lock:
        if _collected is not None:
            for warned in _collected:
                if warned.text == text:
                    warned.rendered = warned.rendered or rendered
                    return
            _collected.append(Warned(text, rendered))
    print(text, file=sys.stderr)


@contextmanager
def collecting() -> Iterator[list[Warned]]:
    """Collect the warnings printed meanwhile (each once)."""
    global _collected, _disabled
    with _lock:
        outer, _collected = _collected, []
        outer_disabled = _disabled
        collected = _collected
    try:
        yield collected
    finally:
        with _lock:
            _collected, _disabled = outer, outer_disabled


def disable(rules: frozenset[str]) -> None:
    """Leave out, until the collecting ends, the warnings of these `galley check` rules (the
    project's `[tool.galley.check] disable`)."""
    global _disabled
    with _lock:
        _disabled = rules


def strict_failure() -> GalleyError | None:
    """Under `galley build --strict`: the error to stop on when this build warned."""
    with _lock:
        count = len(_collected or [])
    if count == 0:
        return None
    return GalleyError(
        f"--strict: the build printed {count} warning(s) above; fix them (the outputs were not "
        "replaced), or build without --strict for a draft"
    )


def remember(cache: Path, names: list[str]) -> None:
    """Keep, for each output rendered (by its name in the render cache), the warnings the render
    printed. The formats of one render share them: one format's citations may come from another's
    citeproc run (citations.lua), and a format seldom differs (content shown in one only)."""
    with _lock:
        texts = [w.text for w in _collected or [] if w.rendered]
    kept = json_cache.load(cache, SHAPE)
    kept.update(dict.fromkeys(names, texts))
    json_cache.save(cache, kept)


def repeat(cache: Path, names: list[str]) -> None:
    """Print again what the last render of each of these outputs (left as they are) warned
    about: they still show its markers."""
    kept = json_cache.load(cache, SHAPE)
    for name in names:
        for text in kept.get(name, []):
            say(text)
