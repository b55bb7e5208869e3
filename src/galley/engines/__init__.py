"""Render engines: real Quarto when it is installed, or galley's embedded pandoc + Typst engine.

Both take the same project and write the same files under a staging copy of the output
folder, so whatever runs after a build does not need to know which engine ran.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from galley.engines.options import Engine
from galley.errors import GalleyError
from galley.util.tools import quarto_path

if TYPE_CHECKING:
    from pathlib import Path

    from galley.engines.options import Failures, RenderOptions
    from galley.project import Project

ENGINE_CHOICES = ("auto", "quarto", "pandoc")


def choose_engine(choice: str) -> tuple[Engine, str]:
    """The engine for `--engine`, with the reason it was chosen."""
    if choice not in ENGINE_CHOICES:
        raise GalleyError(f"unknown engine `{choice}`; use one of {', '.join(ENGINE_CHOICES)}")
    quarto = quarto_path()
    if choice == "quarto" or (choice == "auto" and quarto):
        if not quarto:
            raise GalleyError(
                "`--engine quarto` asked for Quarto, but `quarto` is not on PATH; install it "
                "(https://quarto.org, or `pip install '.[quarto]'` where GitHub is reachable) "
                "or use `--engine pandoc`"
            )
        from galley.engines.quarto import QuartoEngine

        return QuartoEngine(quarto), f"quarto found at {quarto}"
    reason = "asked for" if choice == "pandoc" else "`quarto` is not on PATH"
    return EmbeddedEngine(), f"embedded pandoc + Typst engine ({reason})"


class EmbeddedEngine:
    """The embedded engine (galley.engines.pandoc), whose module and everything it imports (a
    tenth of a no-op build's start-up) load only when it renders."""

    name = "pandoc"

    def render(self, project: Project, options: RenderOptions, stage: Path) -> Failures:
        from galley.engines.pandoc import PandocEngine

        return PandocEngine().render(project, options, stage)
