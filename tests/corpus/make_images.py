"""Draw the corpus articles' figures: small PNGs (and one PDF) made from invented numbers.

Run from anywhere: `python tests/corpus/make_images.py`. The files are committed; the script is
here so that they can be made again, and so that no figure holds anything but these lines.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

HERE = Path(__file__).resolve().parent
# Each figure: its path in the corpus, its kind, and the numbers it draws.
BARS = {
    "soil-microbiome/figures/biomass.png": ([1.0, 0.8, 0.55], "biomass (rel.)"),
    "soil-microbiome/figures/actino.png": ([0.11, 0.16, 0.23], "share"),
    "reading-fluency/figuras/velocidade.png": ([48, 60, 71, 83], "PCPM"),
    "reading-fluency/figuras/precisao.png": ([0.86, 0.93, 0.95, 0.95], "precisão"),
}
LINES = {
    "coastal-erosion/figures/isolated.png": [0, -2, -1, -3, -2, -4],
    "coastal-erosion/figures/clustered.png": [0, -3, -6, -5, -8, -9],
    "survey-weights/figures/lorenz.png": [0, 0.04, 0.12, 0.25, 0.45, 1.0],
    "open-science/images/timeline.png": [94, 88, 60, 31, 12, 6],
    "hydrology-model/kge.png": [0.52, 0.66, 0.74, 0.81, 0.85, 0.9],
    "tidal-surrogate/fig1.pdf": [0.2, 0.35, 0.5, 0.62, 0.8, 0.95],
}


def _save(path: str) -> None:
    target = HERE / path
    target.parent.mkdir(parents=True, exist_ok=True)
    metadata = {"CreationDate": None} if path.endswith(".pdf") else {}
    plt.savefig(target, dpi=60, metadata=metadata)
    plt.close()


def main() -> None:
    for path, (values, label) in BARS.items():
        plt.figure(figsize=(3, 2.2))
        plt.bar(range(1, len(values) + 1), values, color="#4a7ab0")
        plt.ylabel(label)
        plt.tight_layout()
        _save(path)
    for path, values in LINES.items():
        plt.figure(figsize=(3, 2.2))
        plt.plot(range(len(values)), values, marker="o", color="#b04a4a")
        plt.tight_layout()
        _save(path)


if __name__ == "__main__":
    main()
