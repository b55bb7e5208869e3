"""What the author reads on the console: usage errors, help, doctor and diff summaries."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import REPO
from tests.hardening.conftest import QUARTO, run

TYPST = QUARTO.replace("  html: default\n", "  html: default\n  typst: default\n")


def test_to_pdf_is_a_usage_error_that_suggests_typst(tiny: Callable[..., Path]) -> None:
    root = tiny({"_quarto.yml": TYPST})
    result = run("build", "--to", "pdf", cwd=root)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().endswith(
        "format `pdf` is not listed under `format:` in _quarto.yml; the PDF is made by `--to typst`"
    )


def test_an_unlisted_format_names_the_listed_ones(tiny: Callable[..., Path]) -> None:
    result = run("build", "--to", "docx", cwd=tiny())
    assert result.returncode == 2
    assert "format `docx` is not listed under `format:` in _quarto.yml; use one of html" in (
        result.stderr
    )


def test_help_speaks_to_the_user_not_the_developer(tmp_path: Path) -> None:
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "Render a Quarto manuscript to HTML, PDF (Typst) and DOCX" in result.stdout
    assert "dispatches" not in result.stdout


def test_browser_tests_skip_with_a_message_when_chromium_is_absent() -> None:
    env = {**os.environ, "GALLEY_CHROMIUM": "/nonexistent/chromium"}
    env.pop("GALLEY_REQUIRE_CHROMIUM", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", "-q",
         "tests/browser/test_self_contained.py"],
        cwd=REPO, env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout
    assert "browser tests skipped: no Chromium at /nonexistent/chromium" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
