"""What a Snakemake job of galley's Snakefile leaves behind: `.galley/snakemake/<step>.json`, the
SHA-256 of the step's script, inputs and outputs, hashed in the job right after the script ran.

galley takes a step's outputs as made when its record still describes the files as they are now:
the same declared files, byte for byte. Any change to the script, an input, an output or the
step's declaration breaks the match, and galley runs the step itself. Package versions are not
compared: the job ran in the environment Snakemake gave it (a container, a cluster module),
which galley cannot see.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

from galley.project import Project
from galley.steps.cache import MISSING
from galley.steps.config import Step

RECORD_DIR = PurePosixPath(".galley/snakemake")
FORMAT = 1


def record_path(step: Step) -> str:
    return (RECORD_DIR / f"{step.name}.json").as_posix()


def made_by_snakemake(project: Project, step: Step, current: dict[str, Any]) -> bool:
    """Whether a Snakemake job made the step's outputs from exactly the files there now;
    `current` is the step's state as galley.steps.cache.record hashed it."""
    try:
        data = json.loads((project.root / record_path(step)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return False
    now = {step.script: current["script"], **current["inputs"], **current["outputs"]}
    return MISSING not in now.values() and data.get("files") == now
