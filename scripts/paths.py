"""Where this paper's scripts read and write: one module of path constants.

Inputs are read from the project. Outputs go under GALLEY_OUTPUT_ROOT when galley runs a step
(it stages them and moves them into place); run by hand, a script writes into the project itself.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_ROOT = Path(os.environ.get("GALLEY_OUTPUT_ROOT", ROOT))

DATA = ROOT / "data"
PREVALENCE_CSV = DATA / "prevalence.csv"
MILESTONES_CSV = DATA / "milestones.csv"
ACTIVITIES_CSV = DATA / "activities.csv"
REFERENCES_BIB = ROOT / "references.bib"

FIGURES = OUTPUT_ROOT / "figures"
VARIABLES_YML = OUTPUT_ROOT / "_variables.yml"


def output(path: Path) -> Path:
    """`path` with its folder created: call it right before writing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
