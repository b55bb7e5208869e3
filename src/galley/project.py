"""The Quarto project galley works on: `_quarto.yml`, the article, its bibliography and outputs.

Paths follow Quarto's rules for a manuscript project: settings in `_quarto.yml` are relative to
the project folder, and the outputs land in `_manuscript/`, mirroring the article's folder.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from galley.errors import ConfigError, GalleyError
from galley.reading.format_names import FORMAT_EXTENSIONS as FORMAT_EXTENSIONS
from galley.reading.format_names import read_formats
from galley.reading.front_matter import front_matter_lines, parse_front_matter, read_yaml
from galley.reading.galley_table import galley_table
from galley.util.textfile import read_utf8

QUARTO_FILE = "_quarto.yml"
DEFAULT_OUTPUT_DIR = "_manuscript"
# What `galley build` writes for the galley Quarto extension (galley.engines.quarto), listed under
# `metadata-files:`: galley's own output, which galley itself never reads back.
QUARTO_METADATA = Path(".galley") / "quarto-metadata.yml"
# Quarto's default article of a manuscript project (src/project/types/manuscript: `index.qmd`).
DEFAULT_ARTICLE = "index.qmd"
# The tables of `[tool.galley]`: a key outside these is a typo that would silently do nothing.


@dataclass(frozen=True)
class Project:
    root: Path
    config: dict[str, Any]
    article: Path
    bibliographies: tuple[Path, ...]
    csl: Path | None
    formats: dict[str, dict[str, Any]]
    output_dir: Path
    notebooks: tuple[Path, ...] = ()
    galley: dict[str, Any] = field(default_factory=dict)
    # Each format's name as written (`jasa-pdf` for galley's `pdf`) and the defaults its journal
    # extension contributes (galley.reading.format_names).
    format_names: dict[str, str] = field(default_factory=dict)
    format_defaults: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Formats under `format:` that galley does not render (galley.reading.format_names).
    skipped_formats: tuple[str, ...] = ()

    def rel(self, path: Path) -> str:
        """The path as the user sees it: relative to the project folder where possible."""
        return _relative(self.root, path)

    def output_path(self, fmt: str) -> Path:
        """Where Quarto writes `fmt` for the article: `_manuscript/<article dir>/<stem><ext>`."""
        article_rel = self.article.relative_to(self.root)
        return self.output_dir / article_rel.parent / (article_rel.stem + FORMAT_EXTENSIONS[fmt])

    @property
    def cache_dir(self) -> Path:
        return self.root / ".galley"


@functools.lru_cache(maxsize=1024)
def _relative(root: Path, path: Path) -> str:
    # Asked for every line of the expanded sources (each line's file, for messages): resolving
    # the same few files' paths again each time was most of a no-op build of a long book.
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def with_metadata_files(
    values: dict[str, Any], base: Path, root: Path, shown: str
) -> dict[str, Any]:
    """`values` over the YAML files its `metadata-files:` names (relative to `base`, inside the
    project; later files win, and `values` win over them all), as Quarto merges them. A file
    that does not exist is skipped, as Quarto skips it."""
    merged: dict[str, Any] = {}
    for name in _as_list(values.get("metadata-files")):
        path = (base / _path_value(name, "metadata-files:", Path(shown))).resolve()
        if not path.is_relative_to(root):
            raise ConfigError(
                f"metadata file `{name}` lies outside the project; copy it into the project",
                path=shown,
            )
        if path == root / QUARTO_METADATA:
            continue
        if not path.is_file():
            continue  # as Quarto (src/config/metadata.ts): a missing metadata file is skipped
        data = read_yaml(path, root=root) or {}
        if not isinstance(data, dict):
            raise ConfigError("must be a YAML mapping of metadata", path=path)
        merged.update(data)
    return {**merged, **values}


def _article_front_matter(article: Path, shown: str, root: Path) -> dict[str, Any]:
    # The article is input: a bad byte in it exits 1, as the README says.
    lines = read_utf8(article, shown, GalleyError).split("\n")
    span = front_matter_lines(lines)
    return parse_front_matter(lines[span[0] : span[1]], shown, root) if span else {}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _mapping(config: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = config.get(key) or {}
    if not isinstance(value, dict):
        raise ConfigError(f"`{key}:` must be a mapping of settings", path=path)
    return value


def _path_value(value: Any, key: str, path: Path) -> str:
    """A file name from the configuration: a string without NUL characters ("" when absent)."""
    if value is None:
        return ""
    if not isinstance(value, str) or "\0" in value:
        raise ConfigError(f"`{key}` must be a file path, not {value!r}", path=path)
    return value


def _inside(root: Path, written: str, key: str, path: Path) -> Path:
    """`written` (relative to `root`) resolved, when it lies inside the project: galley reads and
    writes only there."""
    resolved = (root / written).resolve()
    if not resolved.is_relative_to(root):
        raise ConfigError(
            f"`{key}` names `{written}`, which lies outside the project folder; galley reads and "
            "writes only inside it: name a path inside the project",
            path=path,
        )
    return resolved


def _citation_setting(
    root: Path, config: dict[str, Any], article: Path, front: dict[str, Any], key: str
) -> tuple[list[Any], Path, Path]:
    """`key`'s value, the folder its paths are relative to, and the file that set it: the
    article's front matter wins over `_quarto.yml`, as in Quarto."""
    if front.get(key) is not None:
        return _as_list(front[key]), article.parent, article
    return _as_list(config.get(key)), root, root / QUARTO_FILE


def citation_files(
    root: Path, config: dict[str, Any], article: Path, front: dict[str, Any]
) -> tuple[tuple[Path, ...], Path | None]:
    """The bibliographies and the CSL style the build and the checker both use: `bibliography:`
    and `csl:` from the article's front matter (relative to its folder) or from `_quarto.yml`
    (relative to the project). Each must be a file inside the project."""
    values, base, where = _citation_setting(root, config, article, front, "bibliography")
    bibliographies = tuple(
        (base / _path_value(b, "bibliography:", where)).resolve() for b in values
    )
    for bib in bibliographies:
        written = bib.relative_to(root) if bib.is_relative_to(root) else bib
        if not bib.is_relative_to(root):
            raise ConfigError(
                f"bibliography `{written}` lies outside the project; copy it into the project",
                path=where,
            )
        if not bib.is_file():
            what = "is a folder, not a file" if bib.is_dir() else "does not exist"
            raise ConfigError(f"bibliography `{written}` named in {where.name} {what}", path=where)
    styles, base, where = _citation_setting(root, config, article, front, "csl")
    csl_name = _path_value(styles[0] if styles else None, "csl:", where)
    csl = (base / csl_name).resolve() if csl_name else None
    if csl is not None and not csl.is_relative_to(root):
        raise ConfigError(
            f"CSL style `{csl_name}` lies outside the project; copy it into the project", path=where
        )
    return bibliographies, csl


def load_project(root: Path | str = ".") -> Project:
    """Read the Quarto project in `root`; every problem is a ConfigError naming the file."""
    root = Path(root).resolve()
    quarto_path = root / QUARTO_FILE
    config: Any = read_yaml(quarto_path, root=root) or {} if quarto_path.is_file() else {}
    if not isinstance(config, dict):
        raise ConfigError("must be a YAML mapping", path=quarto_path)
    config = with_metadata_files(config, root, root, QUARTO_FILE)
    project_cfg = _mapping(config, "project", quarto_path)
    manuscript_cfg = _mapping(config, "manuscript", quarto_path)
    article, is_manuscript = _find_article(root, quarto_path, project_cfg, manuscript_cfg)
    shown = article.relative_to(root).as_posix()
    front = with_metadata_files(
        _article_front_matter(article, shown, root), article.parent, root, shown
    )
    bibliographies, csl = citation_files(root, config, article, front)
    notebook_key = "manuscript: notebooks:"
    notebooks = tuple(
        _inside(
            root,
            _path_value(
                nb.get("notebook") if isinstance(nb, dict) else nb, notebook_key, quarto_path
            ),
            notebook_key,
            quarto_path,
        )
        for nb in _as_list(manuscript_cfg.get("notebooks"))
    )
    output_name = _path_value(project_cfg.get("output-dir"), "project: output-dir:", quarto_path)
    # A manuscript's outputs go to `_manuscript/`; a lone document's, as Quarto writes them, next
    # to it (or to `project: output-dir:`).
    if output_name:
        _inside(root, output_name, "project: output-dir:", quarto_path)
    output_dir = root / (output_name or (DEFAULT_OUTPUT_DIR if is_manuscript else ""))
    formats = read_formats(config.get("format"), quarto_path, front.get("format"), article, root)
    return Project(
        root=root,
        config=config,
        article=article,
        bibliographies=bibliographies,
        csl=csl,
        formats=formats.options,
        output_dir=output_dir,
        notebooks=notebooks,
        galley=galley_table(root),
        format_names=formats.names,
        format_defaults=formats.defaults,
        skipped_formats=formats.skipped,
    )


def _find_article(
    root: Path, quarto_path: Path, project_cfg: dict[str, Any], manuscript_cfg: dict[str, Any]
) -> tuple[Path, bool]:
    """The article and whether the project is a manuscript, as Quarto finds them: the file
    `manuscript: article:` names, else a manuscript project's `index.qmd`, else (a folder of one
    document, with or without a `_quarto.yml`) its only `.qmd`."""
    name = _path_value(manuscript_cfg.get("article"), "manuscript: article:", quarto_path)
    is_manuscript = bool(manuscript_cfg) or project_cfg.get("type") == "manuscript"
    if not name:
        documents = sorted(p.name for p in root.glob("*.qmd") if p.is_file())
        if is_manuscript or DEFAULT_ARTICLE in documents:
            name = DEFAULT_ARTICLE
        elif len(documents) == 1:
            return root / documents[0], False
        elif not quarto_path.is_file():
            raise ConfigError(
                f"no {QUARTO_FILE} here"
                + (f" and {len(documents)} documents" if documents else " and no .qmd document")
                + "; run galley in a Quarto project folder or pass --project DIR",
                path=root,
            )
        else:
            raise ConfigError(
                "no `manuscript: article:` entry; name the article's .qmd file there",
                path=quarto_path,
            )
    article = _inside(root, name, "manuscript: article:", quarto_path)
    if not article.is_file():
        what = "is a folder, not a file" if article.is_dir() else "does not exist"
        setting = (
            "named by `manuscript: article:`" if manuscript_cfg.get("article") else "(the default)"
        )
        raise ConfigError(f"the article `{name}` {setting} {what}", path=quarto_path)
    return article, is_manuscript
