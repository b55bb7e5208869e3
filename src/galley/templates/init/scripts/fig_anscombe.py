"""Figure: Anscombe's four data sets, each with its least-squares line."""

import statistics

import matplotlib

matplotlib.use("Agg")  # no display needed

import matplotlib.pyplot as plt  # noqa: E402

from paths import FIGURES, output, read_sets  # noqa: E402

sets = read_sets()
fig, axes = plt.subplots(2, 2, figsize=(6.5, 4.5), sharex=True, sharey=True)
for ax, (name, (xs, ys)) in zip(axes.flat, sets.items(), strict=True):
    fit = statistics.linear_regression(xs, ys)
    ax.scatter(xs, ys, s=14, color="#0072B2")  # Okabe-Ito blue and vermillion
    ax.plot([2, 20], [fit.intercept + fit.slope * x for x in (2, 20)], color="#D55E00")
    ax.set_title(f"Set {name}", loc="left", fontsize=9)
fig.supxlabel("x")
fig.supylabel("y")
fig.tight_layout()
# No software version in the file, so the same data give the same bytes.
fig.savefig(output(FIGURES / "anscombe.png"), dpi=200, metadata={"Software": None})
