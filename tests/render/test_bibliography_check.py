"""The build's check of the BibTeX files before it renders (rendering/preflight.py) is
remembered for the files it found without a problem: an unchanged bibliography is not parsed
again, a changed one is, and a problem is an error at its line however the cache was left."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from galley.errors import GalleyError
from galley.project import load_project
from galley.rendering.preflight import CHECKED_CACHE, check_bibliographies
from tests.hardening.conftest import make_project, run

BROKEN = "@misc{a, title = {A}}\n\n@book{b,\n  title = {Open\n\n@misc{c,}\n"


def test_an_unchanged_bibliography_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = load_project(make_project(tmp_path / "p"))
    check_bibliographies(project)
    # galley's BibTeX reader can no longer be imported: only the remembered answer can pass.
    monkeypatch.setitem(sys.modules, "galley.reading.bibliography", None)
    check_bibliographies(project)
    (project.root / "refs.bib").write_text(BROKEN + "\n", encoding="utf-8")
    with pytest.raises(ImportError):
        check_bibliographies(project)


def test_a_bibliography_broken_after_a_clean_build_is_refused_at_its_line(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    assert run("build", "--to", "html", cwd=root).returncode == 0
    kept = root / ".galley" / "cache" / CHECKED_CACHE
    assert set(json.loads(kept.read_text(encoding="utf-8"))) == {"checked"}
    (root / "refs.bib").write_text(BROKEN, encoding="utf-8")
    result = run("build", "--to", "html", cwd=root)
    assert result.returncode == 1
    assert "refs.bib:3: this block does not parse" in result.stderr


def test_a_damaged_cache_does_not_hide_a_problem(tmp_path: Path) -> None:
    project = load_project(make_project(tmp_path / "p", {"refs.bib": BROKEN}))
    kept = project.cache_dir / "cache" / CHECKED_CACHE
    kept.parent.mkdir(parents=True, exist_ok=True)  # reading the settings may have made it
    kept.write_text(json.dumps({"checked": "0" * 64}), encoding="utf-8")
    with pytest.raises(GalleyError, match="this block does not parse"):
        check_bibliographies(project)
