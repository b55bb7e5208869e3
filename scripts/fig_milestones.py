"""Figure: timeline of Indonesia-UNODC and ASEAN milestones, each drawn at its date's precision.

A day-precision event is a dot; a month- or year-precision event is a bar spanning that month or
year, so the chart never claims a day it does not know.
"""

import textwrap
from datetime import date, timedelta

import matplotlib.pyplot as plt
import pandas as pd

from paths import FIGURES, MILESTONES_CSV, output
from style import OKABE_ITO, save

SCOPE_COLOURS = {
    "national": OKABE_ITO["orange"],
    "bilateral": OKABE_ITO["blue"],
    "regional": OKABE_ITO["bluish green"],
}
LABEL_PT = 8
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def span(text: str, precision: str) -> tuple[float, float]:
    """Start and end of the period the date stands for, in fractional years."""
    year, month, day = ([int(p) for p in text.split("-")] + [1, 1])[:3]
    start = date(year, month, day)
    if precision == "year":
        end = date(start.year + 1, 1, 1)
    elif precision == "month":
        end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    else:
        end = start + timedelta(days=1)
    return fractional_year(start), fractional_year(end)


def fractional_year(day: date) -> float:
    first = date(day.year, 1, 1)
    return day.year + (day - first).days / (date(day.year + 1, 1, 1) - first).days


def label(row: pd.Series) -> str:
    parts = [int(p) for p in row["date"].split("-")]
    when = [str(parts[0])]
    if len(parts) > 1:
        when.insert(0, MONTHS[parts[1] - 1])
    if len(parts) > 2:
        when.insert(0, str(parts[2]))
    return " ".join(when) + ": " + textwrap.fill(row["event"], 34)


events = pd.read_csv(MILESTONES_CSV, dtype={"date": str}).sort_values("date", ascending=False)
events = events.reset_index(drop=True)

# The record is sparse before 2016: a broken axis keeps 1997 without squeezing 2016-2024. The
# left column holds the labels, so long event names never collide with the axes. Tall and narrow
# with 8 pt text: at the HTML column width (46rem, 736 px) the labels are about 14 px high.
fig, (labels, early, late) = plt.subplots(
    1,
    3,
    sharey=True,
    figsize=(5.6, 7.0),
    gridspec_kw={"width_ratios": [3.3, 0.4, 2.1], "wspace": 0.05},
)
for y, row in events.iterrows():
    start, end = span(row["date"], row["precision"])
    colour = SCOPE_COLOURS[row["scope"]]
    labels.text(0.98, y, label(row), ha="right", va="center", fontsize=LABEL_PT)
    for ax in (early, late):
        if row["precision"] == "day":
            ax.plot(start, y, "o", color=colour, markersize=7)
        else:
            ax.barh(y, end - start, left=start, height=0.5, color=colour)
        ax.axhline(y, color="#DDDDDD", linewidth=0.5, zorder=0)

labels.axis("off")
labels.set_ylim(-0.6, len(events) - 0.4)
early.set_xlim(1996.8, 1998.2)
early.set_xticks([1997])
late.set_xlim(2016, 2025)
late.set_xticks(range(2016, 2026, 4))
early.spines["right"].set_visible(False)
early.spines["left"].set_visible(False)
late.spines["left"].set_visible(False)
for ax in (early, late):
    ax.tick_params(axis="y", left=False, labelleft=False)
    ax.tick_params(axis="x", labelsize=LABEL_PT)
for ax, x in ((early, 1), (late, 0)):  # diagonal marks where the axis is broken
    ax.plot(
        [x],
        [0],
        transform=ax.transAxes,
        marker=[(-1, -2), (1, 2)],
        markersize=7,
        color="black",
        clip_on=False,
        linestyle="none",
    )
handles = [
    plt.Line2D([], [], color=c, marker="s", linestyle="none") for c in SCOPE_COLOURS.values()
]
handles += [
    plt.Line2D([], [], color="grey", marker="o", linestyle="none"),
    plt.Line2D([], [], color="grey", linewidth=5),
]
fig.legend(
    handles,
    [s.capitalize() for s in SCOPE_COLOURS] + ["Known to the day", "Known to the month or year"],
    loc="upper center",
    bbox_to_anchor=(0.5, 0.085),
    ncol=3,
    fontsize=LABEL_PT,
    frameon=False,
    bbox_transform=fig.transFigure,
)
fig.suptitle("Indonesia–UNODC and ASEAN cooperation milestones", x=0.02, ha="left", fontsize=10.5)
fig.subplots_adjust(left=0.01, right=0.97, top=0.94, bottom=0.12)
save(fig, output(FIGURES / "milestones.png"), output(FIGURES / "milestones.svg"))
