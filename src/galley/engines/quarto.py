"""The Quarto engine: `quarto render` on the project, into galley's staging folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from galley.engines import RenderOptions
from galley.project import Project
from galley.styles import csl_path
from galley.tools import run


class QuartoEngine:
    name = "quarto"

    def __init__(self, executable: str):
        self.executable = executable

    def render(self, project: Project, options: RenderOptions, stage: Path) -> list[Path]:
        """Render each format with Quarto into the project's output folder's place in `stage`.

        Quarto writes to the project's output folder itself; galley renders a copy of the
        project so that a failed render cannot touch the previous outputs."""
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
        for fmt in options.formats:
            run(
                [self.executable, "render", str(work), "--to", fmt],
                what=f"quarto render --to {fmt}",
                cwd=work,
            )
        produced = work / project.output_dir.relative_to(project.root)
        written = []
        for path in sorted(p for p in produced.rglob("*") if p.is_file()):
            dest = stage / path.relative_to(produced)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, dest)
            written.append(dest)
        shutil.rmtree(work)
        return written
