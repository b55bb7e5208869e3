"""The images the embedded engine's HTML page shows, copied beside it."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

from galley.project import Project

IMG_SRC = re.compile(r"<img\b[^>]*?\bsrc=\"([^\"]+)\"")


def copy_images(project: Project, html: Path, stage: Path) -> None:
    """Copy the images the HTML links to into the staging folder, at the same relative place,
    so the page works from `_manuscript/` as it does from Quarto's output."""
    article_dir = project.article.parent
    for src in sorted(set(IMG_SRC.findall(html.read_text(encoding="utf-8")))):
        if re.match(r"^[a-zA-Z][\w+.-]*:", src) or src.startswith(("/", "#")):
            continue
        # `my%20figure.png` is `my figure.png`.
        origin = (article_dir / unquote(src)).resolve()
        if not origin.is_relative_to(project.root) or not origin.is_file():
            # Missing, or outside the project, where galley reads nothing: the build has warned
            # about it (galley.reading.local_files); the page shows the alt text instead.
            continue
        dest = stage / os.path.relpath(origin, project.root)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(origin, dest)
