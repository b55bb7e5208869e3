"""The formats a project asks for, under the names authors write them.

Quarto renders `format:` entries of three kinds: its own formats (`html`, `docx`, `typst`,
`pdf`), and a journal extension's formats, `<extension>-<base>` (`jasa-pdf`, `elsevier-html`),
which are the base format with the defaults the extension's `_extension.yml` contributes
(`contributes: formats: common:` and `<base>:`), the author's options winning. galley renders an
extension's format as its base, so `jasa-pdf` is galley's PDF (Typst: there is no LaTeX here),
with the extension's defaults that are settings; the ones that name the extension's own files
(LaTeX partials, filters, a theme) are for Quarto's LaTeX and HTML templates and are left out.

The formats come from `_quarto.yml` and from the article's front matter, as Quarto merges them:
each base once, in the order first written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from galley.errors import ConfigError
from galley.reading.front_matter import read_yaml

# Formats galley renders, and the extension Quarto gives each one's output.
FORMAT_EXTENSIONS = {"html": ".html", "docx": ".docx", "typst": ".pdf", "pdf": ".pdf"}
# An extension's format options that name files inside the extension (or LaTeX/HTML machinery
# galley does not run): Quarto resolves them against the extension's folder for its own
# templates; galley's templates have no use for them.
EXTENSION_FILE_OPTIONS = frozenset(
    {
        "filters", "shortcodes", "template", "template-partials", "format-resources",
        "include-in-header", "include-before-body", "include-after-body", "csl",
        "bibliography", "theme", "css", "reference-doc", "biblio-style", "cite-method",
        "revealjs-plugins", "metadata-files", "resources",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Formats:
    """Each base format with its options from `_quarto.yml`, the name the author gave it, and
    the defaults its extension contributes (empty for Quarto's own formats)."""

    options: dict[str, dict[str, Any]]
    names: dict[str, str]
    defaults: dict[str, dict[str, Any]]
    # Formats Quarto renders and galley does not (`revealjs`, `beamer`, `gfm`…): left out, and
    # said by the build, as long as one galley renders remains.
    skipped: tuple[str, ...] = ()


def base_format(name: str) -> str | None:
    """`pdf` for `pdf` and `jasa-pdf`; None for a format galley does not render."""
    if name in FORMAT_EXTENSIONS:
        return name
    extension, _, base = name.rpartition("-")
    return base if extension and base in FORMAT_EXTENSIONS else None


def _entries(raw: Any, path: Path) -> dict[str, Any]:
    if raw is None:
        return {}
    if isinstance(raw, str):
        return {raw: {}}
    if not isinstance(raw, dict):
        raise ConfigError("`format` must be a mapping of format names to options", path=path)
    return raw


def read_formats(
    config_formats: Any, config_path: Path, front_formats: Any, article: Path, root: Path
) -> Formats:
    """The formats under `format:` in `_quarto.yml` then in the article's front matter (HTML when
    neither has one, as Quarto)."""
    written = {
        name: (options, config_path)
        for name, options in _entries(config_formats, config_path).items()
    }
    for name in _entries(front_formats, article):
        written.setdefault(name, ({}, article))  # its options: the front matter's own layer
    if not written:
        return Formats({"html": {}}, {"html": "html"}, {"html": {}})
    formats = Formats({}, {}, {})
    skipped: list[str] = []
    for name, (options, _where) in written.items():
        base = base_format(str(name))
        if base is None:
            skipped.append(str(name))
            continue
        if base in formats.names:
            continue  # `pdf` and `jasa-pdf` both: one PDF, the first written
        formats.options[base] = options if isinstance(options, dict) else {}
        formats.names[base] = str(name)
        formats.defaults[base] = (
            {} if name == base else extension_defaults(str(name), base, article.parent, root)
        )
    if not formats.names:
        known = ", ".join(FORMAT_EXTENSIONS)
        raise ConfigError(
            f"format `{skipped[0]}` is not supported (known: {known}, or a journal extension's "
            f"`<name>-html`, `<name>-docx`, `<name>-pdf`, `<name>-typst`)",
            path=written[skipped[0]][1],
        )
    return Formats(formats.options, formats.names, formats.defaults, tuple(skipped))


def extension_defaults(name: str, base: str, folder: Path, root: Path) -> dict[str, Any]:
    """The settings an extension's `_extension.yml` contributes to its format `name`: `common`
    then `<base>` (later wins), looked for as Quarto does in `_extensions/<extension>/` or
    `_extensions/<org>/<extension>/`, from the article's folder up to the project's. None when
    the extension is not installed: Quarto would refuse the format; galley renders the base."""
    extension = name.rpartition("-")[0]
    for place in (folder, *folder.parents):
        found = sorted((place / "_extensions").glob(f"{extension}/_extension.y*ml")) + sorted(
            (place / "_extensions").glob(f"*/{extension}/_extension.y*ml")
        )
        if found:
            return _contributed(found[0], base, root)
        if place == root:
            break
    return {}


def _contributed(path: Path, base: str, root: Path) -> dict[str, Any]:
    data = read_yaml(path, root=root)
    contributes = data.get("contributes") if isinstance(data, dict) else None
    formats = contributes.get("formats") if isinstance(contributes, dict) else None
    if not isinstance(formats, dict):
        return {}
    merged: dict[str, Any] = {}
    for layer in (formats.get("common"), formats.get(base)):
        if isinstance(layer, dict):
            merged.update(layer)
    return {k: v for k, v in merged.items() if k not in EXTENSION_FILE_OPTIONS}
