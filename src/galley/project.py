"""The Quarto project galley works on: `_quarto.yml`, the article, its bibliography and outputs.

Paths follow Quarto's rules for a manuscript project: settings in `_quarto.yml` are relative to
the project folder, and the outputs land in `_manuscript/`, mirroring the article's folder.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from galley.errors import ConfigError

QUARTO_FILE = "_quarto.yml"
DEFAULT_OUTPUT_DIR = "_manuscript"
# Formats galley knows, and the extension Quarto gives each one's output.
FORMAT_EXTENSIONS = {"html": ".html", "docx": ".docx", "typst": ".pdf", "pdf": ".pdf"}


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

    def rel(self, path: Path) -> str:
        """The path as the user sees it: relative to the project folder where possible."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def output_path(self, fmt: str) -> Path:
        """Where Quarto writes `fmt` for the article: `_manuscript/<article dir>/<stem><ext>`."""
        article_rel = self.article.relative_to(self.root)
        return self.output_dir / article_rel.parent / (article_rel.stem + FORMAT_EXTENSIONS[fmt])

    @property
    def cache_dir(self) -> Path:
        return self.root / ".galley"


def read_yaml(path: Path) -> Any:
    """Parse a YAML file; a syntax error names the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("file not found", path=path) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"not UTF-8 (byte {exc.start}); save the file as UTF-8", path=path
        ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(f"invalid YAML: {problem}", path=path, line=line) from None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _formats(config: dict[str, Any], path: Path) -> dict[str, dict[str, Any]]:
    raw = config.get("format")
    if raw is None:
        return {"html": {}}
    if isinstance(raw, str):
        raw = {raw: {}}
    if not isinstance(raw, dict):
        raise ConfigError("`format` must be a mapping of format names to options", path=path)
    formats: dict[str, dict[str, Any]] = {}
    for name, options in raw.items():
        if name not in FORMAT_EXTENSIONS:
            known = ", ".join(FORMAT_EXTENSIONS)
            raise ConfigError(f"format `{name}` is not supported (known: {known})", path=path)
        formats[name] = options if isinstance(options, dict) else {}
    return formats


def _galley_config(root: Path) -> dict[str, Any]:
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return {}
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=pyproject) from None
    section = data.get("tool", {}).get("galley", {})
    if not isinstance(section, dict):
        raise ConfigError("[tool.galley] must be a table", path=pyproject)
    return section


def load_project(root: Path | str = ".") -> Project:
    """Read the Quarto project in `root`; every problem is a ConfigError naming the file."""
    root = Path(root).resolve()
    quarto_path = root / QUARTO_FILE
    if not quarto_path.is_file():
        raise ConfigError(
            f"no {QUARTO_FILE} here; run galley in a Quarto project folder or pass --project DIR",
            path=root,
        )
    config = read_yaml(quarto_path) or {}
    if not isinstance(config, dict):
        raise ConfigError("must be a YAML mapping", path=quarto_path)
    project_cfg = config.get("project") or {}
    manuscript_cfg = config.get("manuscript") or {}
    article_name = manuscript_cfg.get("article") if isinstance(manuscript_cfg, dict) else None
    if not article_name:
        raise ConfigError(
            "no `manuscript: article:` entry; name the article's .qmd file there", path=quarto_path
        )
    article = (root / article_name).resolve()
    if not article.is_file():
        raise ConfigError(
            f"the article `{article_name}` named by `manuscript: article:` does not exist",
            path=quarto_path,
        )
    bibliographies = tuple((root / b).resolve() for b in _as_list(config.get("bibliography")))
    for bib in bibliographies:
        if not bib.is_file():
            raise ConfigError(
                f"bibliography `{bib.relative_to(root) if bib.is_relative_to(root) else bib}` "
                "named in _quarto.yml does not exist",
                path=quarto_path,
            )
    csl = (root / config["csl"]).resolve() if config.get("csl") else None
    notebooks = tuple(
        (root / (nb["notebook"] if isinstance(nb, dict) else nb)).resolve()
        for nb in _as_list(manuscript_cfg.get("notebooks"))
    )
    output_dir = root / (project_cfg.get("output-dir") or DEFAULT_OUTPUT_DIR)
    return Project(
        root=root,
        config=config,
        article=article,
        bibliographies=bibliographies,
        csl=csl,
        formats=_formats(config, quarto_path),
        output_dir=output_dir,
        notebooks=notebooks,
        galley=_galley_config(root),
    )
