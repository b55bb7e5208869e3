"""The Quarto engine: `quarto render` on a copy of the project, into galley's staging folder.

How Quarto behaves decides how galley calls it (issue 9, checked with Quarto 1.10.18):
- each `quarto render` empties the project's output folder before it writes, `--to` takes one
  format only, and without `--to` every format under `format:` is rendered in one call;
- the reader edition (source notes, paragraph numbers) comes from the project's Quarto
  extension `_extensions/galley/`, which runs galley's own Lua filters; the source notes' data
  is the metadata file below, listed under `metadata-files:` in `_quarto.yml`.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from galley.engines import docx_edition
from galley.engines.options import Failures, RenderOptions
from galley.engines.quarto_metadata import quarto_metadata
from galley.engines.unresolved import explained, warn_unresolved
from galley.errors import ToolError
from galley.project import QUARTO_METADATA, Project
from galley.reading.sources import load_source
from galley.rendering.styles import csl_path
from galley.util import notices
from galley.util.atomic import write_text
from galley.util.tools import run

# Quarto colours its own warnings (log.lua, lunacolors); pandoc's are `[WARNING] …`.
ANSI = re.compile(r"\x1b\[[0-9;]*m")
WARNING_LINE = re.compile(r"^(?:\[WARNING\]|WARN(?:ING)?\b).*$", re.MULTILINE)


class QuartoEngine:
    name = "quarto"

    def __init__(self, executable: str):
        self.executable = executable

    def render(self, project: Project, options: RenderOptions, stage: Path) -> Failures:
        """Render the formats asked for with Quarto, laid out in `stage` like the output folder.

        Quarto writes to the project's output folder itself, so galley renders a copy of the
        project: a failed render cannot touch the previous outputs. All formats: one call
        without `--to`. A subset, or all of them again after that call failed: one call per
        format, taking each call's outputs out before the next call empties the folder, so that
        each format stands on its own."""
        work = stage / ".quarto-project"
        shutil.copytree(
            project.root,
            work,
            ignore=shutil.ignore_patterns(
                ".git", ".galley", ".venv", project.output_dir.name, "__pycache__"
            ),
        )
        style = csl_path(project)
        csl = project.csl
        if csl is not None and style not in (None, csl) and csl.is_relative_to(project.root):
            # The packaged style the project names, where Quarto looks for it: in this copy only.
            (work / csl.relative_to(project.root)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(str(style), work / csl.relative_to(project.root))
        write_text(work / QUARTO_METADATA, quarto_metadata(options, project.root))
        produced = work / project.output_dir.relative_to(project.root)
        try:
            if set(options.formats) == set(project.formats):
                try:
                    self._call(project, work, [], options, produced, stage)
                    return {}
                except ToolError:
                    pass  # which format failed, and why, the calls one format at a time tell
            failures: Failures = {}
            for fmt in options.formats:
                try:
                    self._call(
                        project,
                        work,
                        ["--to", project.format_names.get(fmt, fmt)],
                        options,
                        produced,
                        stage,
                    )
                except ToolError as exc:
                    failures[fmt] = exc
            return failures
        finally:
            shutil.rmtree(work)

    def _call(
        self,
        project: Project,
        work: Path,
        to: list[str],
        options: RenderOptions,
        produced: Path,
        stage: Path,
    ) -> None:
        """One `quarto render`; what it wrote moves to `stage`, and nothing when it failed."""
        profile = ["--profile", options.profile] if options.profile else []
        try:
            result = run(
                [self.executable, "render", str(work), *to, *profile],
                what=" ".join(["quarto render", *to, *profile]),
                cwd=work,
            )
        except ToolError:
            # Quarto may have written the formats it rendered before the failure: none is
            # taken, since which of them are whole only a call of their own tells.
            shutil.rmtree(produced, ignore_errors=True)
            raise
        _pass_on_warnings(project, options, result.stderr)
        for path in _take_outputs(produced, stage):
            if path.suffix == ".docx":
                docx_edition.finish_docx(path, options)  # the review profile's line numbers


def _pass_on_warnings(project: Project, options: RenderOptions, stderr: str) -> None:
    """Quarto's warnings through galley's one path: a citation of an unknown key and a
    cross-reference to no label as the embedded engine words them (file, line, did you mean),
    any other as Quarto words it."""
    text = ANSI.sub("", stderr)
    warn_unresolved(project, options.source or load_source(project), text)
    for line in dict.fromkeys(WARNING_LINE.findall(text)):
        if not explained(line):
            notices.warn(project.rel(project.article), f"Quarto: {line.strip()}", rendered=True)


def _take_outputs(produced: Path, stage: Path) -> list[Path]:
    """Move what Quarto wrote to the same places under `stage`; a later call overwrites the
    files two formats share (the images)."""
    moved = []
    for path in sorted(p for p in produced.rglob("*") if p.is_file()):
        dest = stage / path.relative_to(produced)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, dest)
        moved.append(dest)
    return moved
