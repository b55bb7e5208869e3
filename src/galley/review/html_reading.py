"""The article read as its HTML is rendered, through one more Lua filter that reports what it
finds as JSON: `galley refs` takes the reference list from it, `galley diff` each version's blocks.
One reading for both: the build's sources, metadata, filters and citations."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from galley.engines.options import RenderOptions
from galley.engines.pandoc import PandocEngine
from galley.project import Project
from galley.reading.sources import Source
from galley.rendering import preflight
from galley.rendering.styles import ensure_csl


def read_through(project: Project, source: Source, lua_filter: Path, purpose: str) -> Any:
    """What `lua_filter`, run last on the article's HTML pass, writes (JSON), decoded."""
    preflight.check_bibliographies(project)
    ensure_csl(project)
    scratch_root = project.cache_dir / "tmp"
    scratch_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch_root, prefix=f"{purpose}-") as scratch:
        options = RenderOptions(
            formats=["html"],
            source=source,
            bibliographies=preflight.small_bibliographies(project, source, Path(scratch)),
            # The media bag (images for the DOCX or an embedded page) plays no part in what the
            # filter reports; finding the files would cost a pandoc call of its own.
            local_files={},
        )
        output = PandocEngine().html_pass(project, options, [str(lua_filter)])
    return json.loads(output)
