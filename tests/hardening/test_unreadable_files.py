"""A file the user may not read is named as such ("cannot read <file>: permission denied") with
what to do, never reported as a full disk or as missing, and never as a bug (exit 3).

The tests run galley as an unprivileged user (root reads every file whatever its mode) on a
project that user owns, with the one file made unreadable."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.hardening.conftest import ARTICLE as BASE_ARTICLE
from tests.hardening.conftest import QUARTO as BASE_QUARTO
from tests.hardening.conftest import make_project

NOBODY = 65534
DROP = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
# The shared small project, with a style file, a PDF, an include and an image to make unreadable.
QUARTO = BASE_QUARTO.replace("refs.bib\n", "refs.bib\ncsl: style.csl\n").replace(
    "html: default\n", "html: default\n  typst: default\n"
)
ARTICLE = BASE_ARTICLE + '\n{{< include part.qmd >}}\n\n![A dot](dot.png){fig-alt="A red dot"}\n'
DATAPACKAGE = """{"resources": [{"name": "values", "path": "values.csv", "schema": {"fields": [
  {"name": "year", "type": "year"}, {"name": "value", "type": "number"}]}}]}"""


def _why_not_unprivileged() -> str | None:
    if os.geteuid() != 0:
        return "the tests must run as root to run galley as another user"
    if shutil.which("setpriv") is None:
        return "setpriv (util-linux) is not installed"
    probe = subprocess.run([*DROP, sys.executable, "-c", "import galley"], capture_output=True)
    if probe.returncode != 0:
        return f"an unprivileged user cannot run {sys.executable} with galley"
    return None


pytestmark = pytest.mark.skipif(
    _why_not_unprivileged() is not None, reason=str(_why_not_unprivileged())
)


@pytest.fixture
def project() -> Iterator[Path]:
    """The project, owned by the unprivileged user, in a folder it can reach (pytest's own
    temporary folders are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="galley-unreadable-"))
    try:
        folder.chmod(0o755)
        root = make_project(
            folder / "project",
            {
                "_quarto.yml": QUARTO,
                "index.qmd": ARTICLE,
                "part.qmd": "Included part.\n",
                "dot.png": (REPO / "tests/check/fixtures/clean/figure.png").read_bytes(),
                "style.csl": (REPO / "apa.csl").read_text(encoding="utf-8"),
                "data/datapackage.json": DATAPACKAGE,
                "data/values.csv": "year,value\n2020,1.5\n",
            },
        )
        for path in [root, *root.rglob("*")]:
            os.chown(path, NOBODY, NOBODY)
        yield root
    finally:
        shutil.rmtree(folder)


def galley_as_nobody(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*DROP, sys.executable, "-m", "galley", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(root), "PYTHONUTF8": "1"},
        check=False,
    )


def denied(name: str, mode: str = "u+r") -> str:
    return (
        f"galley: error: cannot read {name}: permission denied; make it readable for your user "
        f"(e.g. `chmod {mode} {name}`, or build as its owner), then run galley again"
    )


@pytest.mark.parametrize(
    ("name", "command", "code"),
    [
        ("index.qmd", "build", 1),
        ("part.qmd", "build", 1),
        ("refs.bib", "build", 1),
        ("style.csl", "build", 1),
        ("dot.png", "build", 1),
        ("_quarto.yml", "build", 2),
        ("refs.bib", "check", 2),
        ("data/values.csv", "check", 1),
        ("data/datapackage.json", "check", 2),
    ],
)
def test_an_unreadable_file_is_named_with_what_to_do(
    project: Path, name: str, command: str, code: int
) -> None:
    (project / name).chmod(0)
    args = ("check", "--offline") if command == "check" else ("build",)
    result = galley_as_nobody(project, *args)
    assert result.returncode == code, result.stderr
    assert result.stderr.splitlines()[-1] == denied(name), result.stderr
    assert not (project / "_manuscript").exists()


def test_an_unreadable_folder_is_named_not_its_file(project: Path) -> None:
    (project / "data").chmod(0)
    result = galley_as_nobody(project, "check", "--offline")
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[-1] == denied("data", "u+rx")
