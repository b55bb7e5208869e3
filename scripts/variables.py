"""Numbers the prose states, taken from the data and written to _variables.yml for
Quarto's `{{< var ... >}}` shortcode."""

import pandas as pd
import yaml

from paths import PREVALENCE_CSV, VARIABLES_YML, output

surveys = pd.read_csv(PREVALENCE_CSV)
comparable = surveys[surveys["comparable_series"]].sort_values("survey_year")
latest = comparable.iloc[-1]

variables = {
    "prevalence": {
        "users_latest_millions": f"{latest['estimated_users'] / 1_000_000:.1f}",
        "latest_year": str(latest["survey_year"]),
        "latest_pct": f"{latest['past_year_prevalence_pct']:.2f}",
        "latest_age_group": latest["age_group"].replace("-", "–"),
        "first_comparable_year": str(comparable.iloc[0]["survey_year"]),
    }
}
text = yaml.safe_dump(variables, sort_keys=True, allow_unicode=True, default_style='"')
output(VARIABLES_YML).write_text(
    "# Written by scripts/variables.py from data/prevalence.csv: do not edit by hand.\n" + text,
    encoding="utf-8",
)
