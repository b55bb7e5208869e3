"""Figure: past-year drug-use prevalence in the comparable BNN survey series (ages 15-64)."""

import matplotlib.pyplot as plt
import pandas as pd

from paths import FIGURES, PREVALENCE_CSV, output
from style import OKABE_ITO, SIZE_INCHES, save

data = pd.read_csv(PREVALENCE_CSV)
series = data[data["comparable_series"] & (data["age_group"] == "15-64")].sort_values("survey_year")

fig, ax = plt.subplots(figsize=SIZE_INCHES)
years = series["survey_year"].astype(str)
bars = ax.bar(years, series["past_year_prevalence_pct"], color=OKABE_ITO["blue"], width=0.55)
ax.bar_label(bars, labels=[f"{v:.2f}%" for v in series["past_year_prevalence_pct"]], padding=3)
ax.set_ylim(0, 2.5)
ax.set_xlabel("Survey year")
ax.set_ylabel("Past-year prevalence, ages 15–64 (%)")
ax.set_title("Drug use in Indonesia, BNN national surveys", loc="left")
first = series["survey_year"].min()
fig.text(
    0.01,
    0.01,
    f"Comparable series from {first}: earlier surveys used another method and age base "
    "and are not shown.",
    fontsize=7,
    color=OKABE_ITO["black"],
)
fig.tight_layout(rect=(0, 0.04, 1, 1))
save(fig, output(FIGURES / "prevalence.png"), output(FIGURES / "prevalence.svg"))
