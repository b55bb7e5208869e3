"""galley installed as a user installs it (a wheel, not this checkout), run in a folder that is
not this repository: `galley init paper && cd paper && galley build` gives three formats with no
warning, the PDF cites as the HTML does, `galley check --offline` is clean, and the Quarto
extension lives inside the paper."""

from __future__ import annotations

import html as html_text
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from galley.engines.quarto_extension import EXTENSION_DIR, LOADED
from tests.conftest import REPO

pytestmark = pytest.mark.slow

# A path out of the folder in a Lua string: '..', '../x', 'a/../b'.
PARENT_PATH = re.compile(r"""['"](?:[^'"\n]*/)?\.\.(?:/[^'"\n]*)?['"]""")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """galley installed non-editable into a folder of its own: pip builds the wheel from a copy
    of the sources (the checkout stays clean) and installs it there, without dependencies (the
    test's environment has them)."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__"))
    target = work / "site"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile"]
        + ["--disable-pip-version-check", "--target", str(target), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return target


def installed_galley(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m galley` with only the installed copy on the path, in `cwd`."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "-m", "galley", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(site), "PYTHONUTF8": "1"},
        check=False,
    )


def html_citations(page: str) -> list[str]:
    spans = re.findall(r'<span class="citation"[^>]*>(.*?)</span>', page, re.S)
    return [html_text.unescape(re.sub(r"<[^>]+>", "", span)) for span in spans]


def test_an_installed_galley_starts_a_paper_that_builds_cleanly_outside_the_repository(
    site: Path, tmp_path: Path
) -> None:
    probe = subprocess.run(
        [sys.executable, "-c", "import galley; print(galley.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(site)},
        check=True,
    )
    assert Path(probe.stdout.strip()).is_relative_to(site), probe.stdout
    assert not tmp_path.is_relative_to(REPO)

    init = installed_galley(site, tmp_path, "init", "paper")
    assert init.returncode == 0, init.stderr
    paper = tmp_path / "paper"
    build = installed_galley(site, paper, "build")
    check = installed_galley(site, paper, "check", "--offline")

    assert build.returncode == 0, build.stderr
    assert "warning" not in build.stderr.lower(), build.stderr
    outputs = paper / "_manuscript"
    assert {p.name for p in outputs.glob("index.*")} == {"index.html", "index.pdf", "index.docx"}
    cited = html_citations((outputs / "index.html").read_text(encoding="utf-8"))
    assert cited == ["(Anscombe, 1973)"]
    pdf = " ".join(page.extract_text() for page in pypdf.PdfReader(outputs / "index.pdf").pages)
    body = re.sub(r"\s+", " ", pdf).split(" References ")[0]  # the text before the list
    assert re.findall(r"\([^()]*\d{4}\)|\[\d+\]", body) == cited, body
    assert check.returncode == 0, check.stdout + check.stderr

    folder = paper / EXTENSION_DIR
    lua = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.lua")}
    assert {"source-notes.lua", "paragraph-numbers.lua"} <= set(lua)
    for name, code in lua.items():
        assert not PARENT_PATH.search(code), f"{name} names a path outside its folder"
        assert set(LOADED.findall(code)) <= set(lua), f"{name} loads a file not in {folder}"
