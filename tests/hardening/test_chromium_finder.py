"""The one Chromium finder of the browser tests (tests/conftest.py): GALLEY_CHROMIUM alone when
it is set, else `chromium` on PATH, else Playwright's; none found is said plainly, so that every
browser test skips with that message (or fails where GALLEY_REQUIRE_CHROMIUM is set)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, find_chromium


def _hide_chromium(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.delenv("GALLEY_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "no-browsers"))
    return empty


def test_galley_chromium_is_the_only_place_looked_at_when_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GALLEY_CHROMIUM", "/nonexistent/chromium")
    assert find_chromium() == (None, "no Chromium at /nonexistent/chromium")


def test_chromium_on_the_path_is_found(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = _hide_chromium(monkeypatch, tmp_path)
    found = folder / "chromium"
    found.write_text("#!/bin/sh\n", "utf-8")
    found.chmod(0o755)
    assert find_chromium() == (str(found), "")


def test_no_chromium_anywhere_is_said_plainly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _hide_chromium(monkeypatch, tmp_path)
    assert find_chromium() == (
        None,
        "no Chromium (GALLEY_CHROMIUM is unset, none on PATH, none from Playwright)",
    )


@pytest.mark.parametrize(("require", "outcome"), [(False, "1 skipped"), (True, "1 error")])
def test_a_hardening_browser_test_skips_without_chromium_and_fails_where_it_is_required(
    tmp_path: Path, require: bool, outcome: str
) -> None:
    env = {key: value for key, value in os.environ.items() if key != "GALLEY_CHROMIUM"}
    env.pop("GALLEY_REQUIRE_CHROMIUM", None)
    (tmp_path / "bin").mkdir()
    env |= {"PATH": str(tmp_path / "bin"), "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "none")}
    if require:
        env["GALLEY_REQUIRE_CHROMIUM"] = "1"
    test = (
        "tests/hardening/test_safe_outputs.py::test_hostile_fields_and_values_stay_text_in_chromium"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", "-q", test],
        cwd=REPO, env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert outcome in result.stdout, result.stdout
    assert "no Chromium (GALLEY_CHROMIUM is unset, none on PATH, none from Playwright)" in (
        result.stdout
    )
