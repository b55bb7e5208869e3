"""Where this paper's scripts read and write: one module of path constants.

galley runs each step with GALLEY_OUTPUT_ROOT set and moves the declared outputs from there into
the project; run by hand (`python scripts/fig_anscombe.py`), a script writes into the project.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_ROOT = Path(os.environ.get("GALLEY_OUTPUT_ROOT", ROOT))

ANSCOMBE_CSV = ROOT / "data" / "anscombe.csv"

FIGURES = OUTPUT_ROOT / "figures"
VARIABLES_YML = OUTPUT_ROOT / "_variables.yml"


def output(path: Path) -> Path:
    """`path` with its folder created: call it right before writing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def read_sets() -> dict[str, tuple[list[float], list[float]]]:
    """Each data set's x and y values, in the order the file lists the sets."""
    import csv

    sets: dict[str, tuple[list[float], list[float]]] = {}
    with ANSCOMBE_CSV.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            xs, ys = sets.setdefault(row["set"], ([], []))
            xs.append(float(row["x"]))
            ys.append(float(row["y"]))
    return sets
