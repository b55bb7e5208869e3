"""What a build imports: a build with nothing to do loads no module that only a render needs,
and a render of unchanged sources loads none that only a changed bibliography or a notebook step
needs (each is tens of milliseconds of start-up; issue 23)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import galley

RUN = """
import json, sys
from galley.cli import main
code = main(["build"])
print(json.dumps([code, sorted(sys.modules)]))
"""
# Loaded only to render: the embedded engine with Typst's compile, the reviewer notebooks.
RENDER_ONLY = ["galley.engines.pandoc", "galley.engines.typst_compile", "galley.steps.provenance"]
RENDER_ONLY += ["galley.engines.docx_edition", "zipfile"]  # the DOCX's edits and their zip reader
# Loaded only for a bibliography that changed, a notebook step, or not at all.
NEVER_HERE = ["nbformat", "bibtexparser", "asyncio", "xml.sax.saxutils", "urllib.request"]
# Package versions are read from their METADATA without it (galley.util.package_versions.package_version).
NEVER_HERE += ["importlib.metadata", "email.parser"]
# Nor the Quarto engine, the readers that place what a render found missing, nor html's entities.
NEVER_HERE += ["galley.engines.quarto", "galley.reading.markdown", "difflib", "html.entities"]
NEVER_HERE += ["importlib.resources"]  # galley's own files are found beside its modules
# Nor PyYAML or tomllib: the settings and front matter are as they were read and written before
# (galley.reading.settings_cache).
NEVER_HERE += ["yaml", "tomllib"]
# Nor the readers of a failed compile or of a run's report: a clean run reports nothing.
NEVER_HERE += ["galley.engines.typst_failures", "galley.engines.unresolved"]
NEVER_HERE += ["galley.engines.layout_errors"]
# Nor an XML reader: the CSL style's class is as it was read before (galley.rendering.styles).
NEVER_HERE += ["xml.etree.ElementTree", "xml.parsers.expat"]


def modules_of_a_build(root: Path) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", RUN],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONUTF8": "1"},
        check=False,
    )
    code, modules = json.loads(result.stdout.splitlines()[-1])
    assert code == 0, result.stderr
    return set(modules)


def built_copy(built_project: Path, tmp_path: Path) -> Path:
    """The article built here: a copy renders again once (its caches name the other folder)."""
    root = Path(shutil.copytree(built_project, tmp_path / "article", symlinks=True))
    assert galley("build", cwd=root).returncode == 0
    return root


def test_a_build_with_nothing_to_do_loads_no_render_module(
    built_project: Path, tmp_path: Path
) -> None:
    root = built_copy(built_project, tmp_path)
    loaded = modules_of_a_build(root)
    assert "galley.pipeline.build" in loaded
    assert loaded.isdisjoint(RENDER_ONLY + NEVER_HERE), loaded & set(RENDER_ONLY + NEVER_HERE)


def test_a_render_of_unchanged_sources_loads_no_bibliography_or_notebook_reader(
    built_project: Path, tmp_path: Path
) -> None:
    root = built_copy(built_project, tmp_path)
    (root / ".galley" / "cache" / "formats.json").unlink()
    loaded = modules_of_a_build(root)
    assert set(RENDER_ONLY) <= loaded
    assert loaded.isdisjoint(NEVER_HERE), loaded & set(NEVER_HERE)
