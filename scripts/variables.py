"""Numbers the prose states, taken from the data and written to _variables.yml for
Quarto's `{{< var ... >}}` shortcode."""

import pandas as pd
import yaml

from paths import PREVALENCE_CSV, VARIABLES_YML, output

surveys = pd.read_csv(PREVALENCE_CSV)
comparable = surveys[surveys["comparable_series"]].sort_values("survey_year")
latest = comparable.iloc[-1]


def percent(row: pd.Series) -> str:
    return f"{row['past_year_prevalence_pct']:.2f} percent in {row['survey_year']}"


# The figure's alt text states the numbers, so it comes from the data like the prose does.
rates = [percent(row) for _, row in comparable.iterrows()]
ages = latest["age_group"].replace("-", " to ")
alt = (
    f"Bar chart of past-year drug use prevalence in Indonesia among people aged {ages}: "
    f"{', '.join(rates[:-1])} and {rates[-1]}."
)

variables = {
    "prevalence": {
        "users_latest_millions": f"{latest['estimated_users'] / 1_000_000:.1f}",
        "latest_year": str(latest["survey_year"]),
        "latest_pct": f"{latest['past_year_prevalence_pct']:.2f}",
        "latest_age_group": latest["age_group"].replace("-", "–"),
        "first_comparable_year": str(comparable.iloc[0]["survey_year"]),
        "alt": alt,
    }
}
text = yaml.safe_dump(variables, sort_keys=True, allow_unicode=True, default_style='"')
output(VARIABLES_YML).write_text(
    "# Written by scripts/variables.py from data/prevalence.csv: do not edit by hand.\n" + text,
    encoding="utf-8",
)
