"""Numbers the article states, computed from the data and written to _variables.yml for
Quarto's `{{< var ... >}}` shortcode."""

import statistics

from paths import VARIABLES_YML, output, read_sets

correlations = [statistics.correlation(xs, ys) for xs, ys in read_sets().values()]
# Quoted, so that Quarto and galley print the digits written here.
text = (
    "# Written by scripts/variables.py from data/anscombe.csv: do not edit by hand.\n"
    "anscombe:\n"
    f'  r_low: "{min(correlations):.3f}"\n'
    f'  r_high: "{max(correlations):.3f}"\n'
)
output(VARIABLES_YML).write_text(text, encoding="utf-8")
