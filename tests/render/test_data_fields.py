"""galley's own metadata fields that are data (a step's name, the source note's paths and hashes,
the notebooks' links) reach the outputs as the text they are: before, pandoc read each as
Markdown, so a step named `__init__` was bold "init" and a data file `level~2~.csv` was noted as
`level2.csv`. Real pandoc, a real step."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import galley
from tests.render.fixtures import html, write_project

STEP = """\
[tool.galley.steps.__init__]
script = "table.py"
inputs = ["data/level~2~.csv"]
outputs = ["doc/made.md"]
"""
TABLE_SCRIPT = """\
import os, pathlib
out = pathlib.Path(os.environ["GALLEY_OUTPUT_ROOT"], "doc")
out.mkdir(parents=True, exist_ok=True)
(out / "made.md").write_text("| a |\\n|---|\\n| 1 |\\n\\n: Made {#tbl-made}\\n", "utf-8")
"""


def _project(root: Path) -> Path:
    write_project(root, 'title: "Data"\n', "See @tbl-made.\n\n{{< include made.md >}}\n")
    (root / "pyproject.toml").write_text(STEP, encoding="utf-8")
    (root / "table.py").write_text(TABLE_SCRIPT, encoding="utf-8")
    (root / "data").mkdir()
    (root / "data" / "level~2~.csv").write_text("a\n1\n", encoding="utf-8")
    return root


def test_a_steps_name_and_its_data_files_path_are_shown_as_written(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 0, built.stderr
    page = html(root)
    notebook = re.search(r'<a href="[^"]*" class="notebook">(.*?)</a>', page)
    assert notebook is not None and notebook[1] == "__init__"
    note = re.search(r'<div class="galley-source-note">(.*?)</div>', page, re.S)
    assert note is not None
    assert "<code>data/level~2~.csv</code>" in note[1]
    assert "<sub>" not in note[1]
