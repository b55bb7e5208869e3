"""Table: the cooperation activities the Results section describes, by dimension.

Writes a pipe table only; the manuscript adds the caption and the label `tbl-activities`. The
Section column appears only when the activities come from more than one section: the same
section on every row says nothing the caption cannot say once.
"""

import pandas as pd

from galley.steps.markdown import citation, escape_cell
from paths import ACTIVITIES_CSV, FIGURES, output

DIMENSIONS = ["institutional capacity", "operational diplomacy", "regional stability"]

rows = pd.read_csv(ACTIVITIES_CSV, keep_default_na=False)
rows["order"] = rows["dimension"].map(DIMENSIONS.index)
rows = rows.sort_values("order", kind="stable")

by_section = rows["section"].nunique() > 1
# The rows are longer than pandoc's 72 columns, so pandoc takes the column widths from the dashes
# below the header: each column's share of the width in per cent, to suit what it holds (the
# dimension is a few words, the activity a phrase, the wording a sentence).
widths = {"Dimension": 22, "Activity": 30, "Wording in the text": 48}
if by_section:
    widths = {"Dimension": 20, "Activity": 27, "Wording in the text": 41, "Section": 12}
header = list(widths)
rule = [":" + "-" * (w - 1) for w in widths.values()]
lines = ["| " + " | ".join(header) + " |", "|" + "|".join(rule) + "|"]
previous = None
for _, row in rows.iterrows():
    dimension = row["dimension"].capitalize() if row["dimension"] != previous else ""
    previous = row["dimension"]
    # Data is text: every value escaped (galley.steps.markdown), a section cited only when it
    # is a plain label.
    cells = [escape_cell(dimension), escape_cell(row["activity"]), f"“{escape_cell(row['basis'])}”"]
    cells += [citation(row["section"])] if by_section else []
    lines.append("| " + " | ".join(cells) + " |")

output(FIGURES / "tbl-activities.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
