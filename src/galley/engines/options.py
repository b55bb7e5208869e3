"""What a render is asked for (`RenderOptions`), what an engine is (`Engine`), and what it answers:
the formats that failed (`Failures`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from galley.errors import GalleyError
from galley.project import Project
from galley.reading.pandoc_reading import ArticleReading
from galley.reading.sources import Source


@dataclass(frozen=True)
class RenderOptions:
    formats: Sequence[str]
    # The expanded sources the build hashed for its render cache: rendering exactly these means
    # what was rendered is what was recorded (and the files are read once). None: read them.
    source: Source | None = None
    # element id -> source note for a generated figure or table (see galley.steps)
    source_notes: dict[str, dict[str, object]] = field(default_factory=dict)
    # The bibliographies to render with, when not the project's own (a large one cut down to the
    # cited entries: galley.rendering.preflight); empty for the project's.
    bibliographies: tuple[Path, ...] = ()
    # Each local file the article references (target -> absolute path), all inside the project
    # (galley.reading.local_files); None: find them.
    local_files: dict[str, str] | None = None
    # Pandoc's reading of `source` (galley.reading.pandoc_reading), which each format's render
    # starts from; None: each reads the Markdown.
    reading: ArticleReading | None = None
    # The reviewer's edition (galley.engines.edition): one HTML file with everything inside; no
    # author anywhere; a named profile such as "review" (paragraph and line numbers).
    self_contained: bool = False
    anonymous: bool = False
    profile: str | None = None


# A format that failed to render, with its error: each format stands on its own (issue 20), so a
# failure leaves the formats that rendered to be written.
Failures = dict[str, GalleyError]


class Engine(Protocol):
    name: str

    def render(self, project: Project, options: RenderOptions, stage: Path) -> Failures:
        """Render into `stage` (laid out like the output folder); return the formats that
        failed, none of whose files are then in `stage`."""
        ...


def raise_failure(failures: Failures) -> None:
    """For a caller that has no use for the formats that rendered: the first failure, raised."""
    for error in failures.values():
        raise error
