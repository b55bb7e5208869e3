"""Quarto's own smoke tests, a fixed subset (`smoke-subset.txt`, one or two documents per
feature), through the shared harness `shared/tools/quarto_compat.py`: every listed document must
still pass, so a regression in Quarto compatibility shows at once. The harness and the documents
live in `shared/` beside the repository (CI puts it there); without it the test is skipped.

The full run (149 documents) is a README command.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

SUBSET = Path(__file__).with_name("smoke-subset.txt")
HARNESS = Path("shared/tools/quarto_compat.py")
DOCS = Path("shared/quarto-smoke/docs")


def _shared_root() -> Path | None:
    """The folder holding `shared/`: beside the repository, or further up for a git worktree
    kept in a subfolder of it."""
    for folder in REPO.parents:
        if (folder / HARNESS).is_file() and (folder / DOCS).is_dir():
            return folder
    return None


@pytest.mark.slow
def test_every_document_of_the_smoke_subset_passes(tmp_path: Path) -> None:
    root = _shared_root()
    if root is None:
        pytest.skip(f"no {HARNESS} beside the repository (CI puts shared/ there)")
    report = tmp_path / "report.json"
    result = subprocess.run(
        [
            sys.executable,  # the venv's: the test extra installs the harness's libraries
            str(root / HARNESS),
            str(Path(sys.executable).with_name("galley")),
            str(root / DOCS),
            "--list",
            str(SUBSET),
            "--json",
            str(report),
            "-j",
            "2",
        ],  # fmt: skip
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    results = json.loads(report.read_text(encoding="utf-8"))["results"]
    listed = [
        line.split("\t")[0].removeprefix("tests/docs/smoke-all/")
        for line in SUBSET.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert sorted(r["path"] for r in results) == sorted(listed)
    failing = [line for line in result.stdout.splitlines() if line.startswith(("FAIL", "ERROR"))]
    assert failing == []
