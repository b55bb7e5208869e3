"""What a Snakemake job of galley's Snakefile leaves behind: `.galley/snakemake/<step>.json`, the
SHA-256 of the step's script, inputs and outputs, hashed in the job right after the script ran.

galley takes a step's outputs as made when the record still describes the files as they are now
(the same declared files, byte for byte), as it would its own record. A change to the script, an
input, an output or the step's declaration breaks the match, and galley runs the step itself. Package versions are not
compared: the job ran in the environment Snakemake gave it (a container, a cluster module),
which galley cannot see.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from galley.project import Project
from galley.steps.cache import EXECUTED_NOTEBOOKS
from galley.steps.config import Step
from galley.util import json_cache

RECORD_DIR = PurePosixPath(".galley/snakemake")
# Where galley keeps a notebook step's executed copy, outputs included, for the reviewer notebook
# (galley.steps.cache.executed_notebook); a Snakemake job writes it there too.
EXECUTED_DIR = PurePosixPath(".galley", EXECUTED_NOTEBOOKS)
# What the job's RECORD_PROGRAM (galley.steps.snakefile) writes.
SHAPE = json_cache.Record(
    {
        "format": int, "script": json_cache.Map(str), "inputs": json_cache.Map(str),
        "outputs": json_cache.Map(str), "executed": str,
    },
    optional=frozenset({"executed"}),
)  # fmt: skip
FORMAT = 1


def record_path(step: Step) -> str:
    return (RECORD_DIR / f"{step.name}.json").as_posix()


def executed_path(step: Step) -> str:
    return (EXECUTED_DIR / f"{step.name}.ipynb").as_posix()


def snakemake_record(project: Project, step: Step, env: dict[str, str]) -> dict[str, Any] | None:
    """The step's Snakemake record in the shape of galley's own (galley.steps.cache.record), with
    `env` as the environment (not compared, see above); None when there is none or it is damaged."""
    data = json_cache.load(project.root / record_path(step), SHAPE)
    if data.get("format") != FORMAT:
        return None
    script, inputs, outputs = data["script"], data["inputs"], data["outputs"]
    made = {"script": script.get(step.script), "inputs": inputs, "env": env, "outputs": outputs}
    if "executed" in data:  # a notebook's executed copy, compared as galley compares its own
        made["executed"] = data["executed"]
    return made
