"""Tiny projects for the hardening tests: one small article, one entry, HTML only, no steps
unless a test adds them; and the real `galley` command line run on them."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

QUARTO = """\
project:
  type: manuscript
  output-dir: _manuscript

manuscript:
  article: index.qmd

bibliography: refs.bib

format:
  html: default
"""
ARTICLE = """\
---
title: A small article
---

Text that cites a source [@a].
"""
BIB = """\
@misc{a,
  author = {Doe, Jane},
  title = {A Source},
  year = {2020}
}
"""


def make_project(root: Path, files: Mapping[str, str | bytes] | None = None) -> Path:
    """A tiny project in `root`; `files` adds or replaces files (text or bytes)."""
    contents: dict[str, str | bytes] = {
        "_quarto.yml": QUARTO,
        "index.qmd": ARTICLE,
        "refs.bib": BIB,
        **(files or {}),
    }
    for name, content in contents.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def run(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The real `galley` command line in `cwd`, with extra environment variables."""
    return subprocess.run(
        [sys.executable, "-m", "galley", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONUTF8": "1", **(env or {})},
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def tiny(tmp_path: Path) -> Callable[..., Path]:
    def factory(files: Mapping[str, str | bytes] | None = None) -> Path:
        return make_project(tmp_path / "project", files)

    return factory
