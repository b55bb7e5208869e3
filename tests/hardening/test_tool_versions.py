"""The render cache is keyed on the pandoc and Typst that actually run (the pandoc binary's own
`--version`, the Typst module's version), not on the package that ships pandoc: an output made
by another pandoc or Typst is rendered again. `galley doctor` shows the same two versions."""

from __future__ import annotations

import json
import os
import subprocess
from importlib import metadata
from pathlib import Path

import pypandoc
import pytest
import typst

from galley.util.package_versions import package_version
from tests.hardening.conftest import QUARTO, make_project, run

CACHE = Path(".galley") / "cache" / "formats.json"


def pandoc_reports() -> str:
    """What the pandoc binary galley runs says its version is, asked directly."""
    out = subprocess.run(
        [pypandoc.get_pandoc_path(), "--version"], capture_output=True, text=True, check=True
    ).stdout
    return out.splitlines()[0].removeprefix("pandoc ").strip()


@pytest.fixture
def built(tmp_path: Path) -> Path:
    quarto = QUARTO.replace("html: default", "html: default\n  typst: default")
    root = make_project(tmp_path / "project", {"_quarto.yml": quarto})
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def cache_records(root: Path) -> dict[str, dict[str, str]]:
    records: dict[str, dict[str, str]] = json.loads((root / CACHE).read_text(encoding="utf-8"))
    return records


def test_the_cache_records_the_pandoc_and_typst_that_ran(built: Path) -> None:
    records = cache_records(built)
    assert records["html"]["pandoc"] == records["typst"]["pandoc"] == pandoc_reports()
    assert records["typst"]["Typst"] == typst.__version__
    assert "Typst" not in records["html"]  # the HTML does not depend on the Typst compiler


def test_doctor_shows_the_versions_the_cache_is_keyed_on(built: Path) -> None:
    result = run("doctor", cwd=built)
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line)
    assert lines["pandoc"] == f"{pandoc_reports()} ({pypandoc.get_pandoc_path()})"
    assert lines["typst"] == cache_records(built)["typst"]["Typst"]


@pytest.mark.parametrize(
    ("output", "tool", "rerendered"),
    [("html", "pandoc", "_manuscript/index.html"), ("typst", "Typst", "_manuscript/index.pdf")],
)
def test_an_output_made_with_another_tool_version_is_rendered_again(
    built: Path, output: str, tool: str, rerendered: str
) -> None:
    records = cache_records(built)
    records[output][tool] = "0.1"  # as if an older release had rendered it
    (built / CACHE).write_text(json.dumps(records), encoding="utf-8")
    status = run("status", cwd=built)
    assert f"  {output}  changed: {tool}\n" in status.stdout
    result = run("build", cwd=built)
    assert result.returncode == 0, result.stderr
    assert f"galley: rendering {output} (the normal edition)" in result.stderr
    assert f"wrote {rerendered}" in result.stderr
    assert run("build", cwd=built).stderr.startswith("galley: up to date")


def fake_pandoc(path: Path, version: str, real: str | None = None) -> Path:
    """A `pandoc` that answers `--version` as pandoc does (its first line `pandoc X.Y`, as the
    real binary's `pandoc_reports()` shows) and runs `real` for anything else, if given."""
    otherwise = f'exec "{real}" "$@"' if real else "exit 1"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'#!/bin/sh\nif [ "$1" = --version ]; then echo "pandoc {version}"; exit 0; fi\n'
        f"{otherwise}\n"
    )
    path.chmod(0o755)
    return path


def test_galley_runs_the_pandoc_it_pins_not_a_newer_one_on_path(tmp_path: Path) -> None:
    # pypandoc would pick the newest pandoc it finds (PATH, ~/bin…); galley keeps the one
    # pypandoc-binary ships, so what else is installed does not change the outputs.
    root = make_project(tmp_path / "project")
    bin_dir = fake_pandoc(tmp_path / "bin" / "pandoc", "99.0").parent
    path = f"{bin_dir}:{os.environ['PATH']}"
    assert run("build", cwd=root, env={"PATH": path}).returncode == 0
    doctor = run("doctor", cwd=root, env={"PATH": path})
    lines = dict(line.split(": ", 1) for line in doctor.stdout.splitlines() if ": " in line)
    assert lines["pandoc"].startswith(f"{pandoc_reports()} (")
    assert "99.0" not in doctor.stdout


def test_another_pandoc_binary_is_asked_its_version_and_renders_again(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    wrapper = fake_pandoc(tmp_path / "pandoc", "3.9.1", real=pypandoc.get_pandoc_path())
    env = {"PYPANDOC_PANDOC": str(wrapper)}
    assert run("build", cwd=root, env=env).returncode == 0
    assert cache_records(root)["html"]["pandoc"] == "3.9.1"
    assert run("build", cwd=root, env=env).stderr.startswith("galley: up to date")
    fake_pandoc(wrapper, "3.9.2", real=pypandoc.get_pandoc_path())  # upgraded in place

    status = run("status", cwd=root, env=env)

    assert "  html  changed: pandoc\n" in status.stdout


@pytest.mark.parametrize(
    "package", ["pandas", "matplotlib", "pyyaml", "bibtexparser", "typst", "numpy", "nbformat"]
)
def test_a_package_version_is_importlib_metadatas_asked_once_or_twice(package: str) -> None:
    assert package_version(package) == package_version(package) == metadata.version(package)


def test_a_package_that_is_not_installed_is_not_found() -> None:
    with pytest.raises(metadata.PackageNotFoundError):
        package_version("galley-no-such-package")


def test_every_installed_package_version_is_importlib_metadatas() -> None:
    names = {d.metadata["Name"] for d in metadata.distributions()}
    assert {name: package_version(name) for name in names} == {
        name: metadata.version(name) for name in names
    }


@pytest.mark.parametrize(
    "headers",
    [
        "Metadata-Version: 2.1\nName: Galley_Probe.Pkg\nVersion: 1.2.3\n\nVersion: 9\n",
        "Metadata-Version: 2.1\nName: Galley_Probe.Pkg\nversion:   1.2.3  \nSummary: s\n",
        "Metadata-Version: 2.1\nName: Galley_Probe.Pkg\nVersion: 1.2\n  .3\n",  # folded
        "Metadata-Version: 2.1\nName Galley_Probe.Pkg\nVersion: 4\n",  # ends the headers
        "Metadata-Version: 2.1\r\nName: Galley_Probe.Pkg\r\nVersion: 5\r\n",
    ],
)
def test_a_package_version_is_read_as_importlib_metadata_reads_its_headers(
    headers: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    info = tmp_path / "galley_probe.pkg-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_bytes(headers.encode("utf-8"))
    monkeypatch.syspath_prepend(str(tmp_path))

    assert package_version("galley-probe-pkg") == metadata.version("galley-probe-pkg")
