"""The reviewer's editions of the real article, each built once per session in a copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import copy_project, galley


def _build(root: Path, *flags: str, edition: str = "") -> Path:
    """The folder of the article's outputs; an edition other than the normal one has its own."""
    result = galley("build", *flags, cwd=copy_project(root))
    assert result.returncode == 0, result.stderr
    return root / "_manuscript" / edition / "manuscript"


@pytest.fixture(scope="session")
def anonymous_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("anonymous"), "--anonymous", edition="anonymous")


@pytest.fixture(scope="session")
def review_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("review"), "--profile", "review", edition="review")


@pytest.fixture(scope="session")
def self_contained_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(
        tmp_path_factory.mktemp("self-contained"),
        "--self-contained",
        "--to",
        "html",
        edition="self-contained",
    )
