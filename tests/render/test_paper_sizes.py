"""The text area of the PDF's paper is measured by Typst once per Typst version and paper, then
read from `.galley/cache/paper-sizes.json` (the query was 4 ms of every render)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typst

from galley.engines.typst_values import MARGIN, _text_area


def test_the_text_area_is_measured_once_and_then_read_from_the_cache(tmp_path: Path) -> None:
    kept = tmp_path / "paper-sizes.json"
    width, height = _text_area.__wrapped__("a4", kept)
    assert (round(width, 2), round(height, 2)) == (453.54, 700.16)  # A4 less 2.5 cm a side
    key = f"{typst.__version__} a4 {MARGIN}"
    assert json.loads(kept.read_text(encoding="utf-8")) == {key: [width, height]}
    kept.write_text(json.dumps({key: [1.0, 2.0]}), encoding="utf-8")

    assert _text_area.__wrapped__("a4", kept) == (1.0, 2.0)  # not asked of Typst again


@pytest.mark.parametrize("other", ["0.0.1 a4 2.5cm", f"{typst.__version__} a5 {MARGIN}"])
def test_another_typst_or_paper_is_measured_anew(tmp_path: Path, other: str) -> None:
    kept = tmp_path / "paper-sizes.json"
    kept.write_text(json.dumps({other: [1.0, 2.0]}), encoding="utf-8")

    width, _ = _text_area.__wrapped__("a4", kept)

    assert round(width, 2) == 453.54
    assert set(json.loads(kept.read_text(encoding="utf-8"))) == {
        other,
        f"{typst.__version__} a4 {MARGIN}",
    }
