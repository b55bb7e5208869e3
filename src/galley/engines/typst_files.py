"""The project's files the PDF's Typst source names, at their places in the staging mirror.

Pandoc writes the .typ with each image's path as the author wrote it, relative to the article
(as Quarto writes its .typ beside the article). galley writes the .typ in a staging folder that
mirrors the project (galley.rendering.typst_citations.staged_typ_folder), so each local file the article
references is linked there at the same place relative to the project: the paths then resolve
as they do beside the article, also for an article in a subfolder and a path with `..`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from galley.project import Project


def mirror_local_files(project: Project, scratch: Path, files: Mapping[str, str]) -> None:
    """Link each of `files` (target as written -> its file inside the project, as
    galley.reading.local_files checked) at the target's place under `scratch`, the mirror's
    root: where the target leads from the article's folder, followed as Typst follows it."""
    article_dir = project.article.parent.relative_to(project.root)
    for target, path in sorted(files.items()):
        written = os.path.normpath(article_dir / unquote(urlsplit(target).path))
        if written.startswith(".."):
            continue
        place = scratch / written
        if place.exists() or place.is_symlink():
            continue  # a bibliography or style copy staged there, or a target written twice
        place.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.symlink(path, place)
        except OSError:  # no symbolic links here (Windows without the privilege): a copy
            shutil.copyfile(path, place)
