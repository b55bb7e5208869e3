"""Floats and cross-references in the embedded engine, as Quarto writes them: div floats,
sub-floats, the `crossref:` options and section numbers, checked in the real HTML, DOCX and .typ."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from galley.engines.pandoc import RESOURCES
from galley.tools import pandoc_path


def test_targets_registered_by_other_filters_are_resolved(tmp_path: Path) -> None:
    # Theorem, callout and equation filters record their targets in `galley-xref`; crossref.lua
    # alone is run here, on that metadata, as the engine runs it after those filters.
    meta = {"galley-xref": {"thm-a": {"kind": "thm", "number": "3", "prefix": "theorem"}}}
    (tmp_path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    result = subprocess.run(
        [pandoc_path(), "--metadata-file", str(tmp_path / "meta.json"), "-t", "html",
         "--lua-filter", str(RESOURCES / "crossref.lua")],
        input="See @thm-a, [-@thm-a], @Thm-a and [see @thm-a, p. 2].\n",
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    html = re.sub(r"[ \n]+", " ", result.stdout)
    assert '<a href="#thm-a" class="quarto-xref">theorem\u00a03</a>,' in html
    assert '<a href="#thm-a" class="quarto-xref">3</a>' in html
    assert '<a href="#thm-a" class="quarto-xref">Theorem\u00a03</a>' in html
    assert 'see <a href="#thm-a" class="quarto-xref">theorem\u00a03</a>, p.\u00a02' in html
