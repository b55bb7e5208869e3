"""The metadata each format's pandoc run reads (galley.engines.pandoc): Quarto's settings merged
as Quarto merges them, and what galley's filters and templates take from them."""

from __future__ import annotations

import os
from typing import Any

from galley.engines import edition
from galley.engines.docx_page import DocxPage, running_head
from galley.engines.options import RenderOptions
from galley.engines.typst_values import keyword_list, page_size, typst_values
from galley.project import FORMAT_EXTENSIONS, Project
from galley.reading.metadata import boolean_flags, normalize_authors
from galley.reading.sources import Source
from galley.rendering.citation_appendix import appendix_markdown
from galley.rendering.includes import include_metadata
from galley.rendering.languages import localized
from galley.rendering.styles import csl_path
from galley.rendering.title_block import title_block_metadata
from galley.rendering.typst_citations import bibliography_metadata, native_citations

# Settings Quarto reads from the project, a format's options or the front matter.
PASSED_THROUGH = (
    "title", "subtitle", "abstract", "keywords", "lang", "link-citations", "toc", "toc-depth",
    "papersize", "date", "crossref", "number-depth", "number-offset", "fig-cap-location",
    "tbl-cap-location", "language", "callout-appearance", "callout-icon", "nocite",
    "suppress-bibliography", "reference-section-title", "mainfont", "short-title", "shorttitle",
)  # fmt: skip
# What bibliography_metadata adds for Typst's own citations (galley.rendering.typst_citations).
NATIVE_CITATION_KEYS = ("galley-native-citations", "galley-typst-bibliography")
FORMAT_LABELS = {"html": "HTML", "typst": "PDF", "pdf": "PDF", "docx": "DOCX"}

# galley's metadata fields that are data, not the author's Markdown: paths, hashes, links, step
# names, flags. fragments.lua puts them in the document's metadata as plain text; parsed as
# Markdown they cost each run 15-30 ms (pandoc parses each string alone) and a name such as
# `__init__` turned bold.
DATA_FIELDS = (
    "galley-source-notes",
    "galley-notebooks",
    "galley-other-formats",
    "galley-meta-flags",
)


def merged_settings(project: Project, source: Source, fmt: str) -> dict[str, Any]:
    """Settings as Quarto merges them: a journal extension's format defaults, project, project
    format options, front matter, front matter format options — later ones win. A format's
    options are under the name the author wrote (`jasa-pdf` for galley's `pdf`). `authors:` is
    read as `author:`, its alias in Quarto's schema."""
    front_formats = source.front_matter.get("format")
    name = project.format_names.get(fmt, fmt)
    front_fmt = front_formats.get(name) if isinstance(front_formats, dict) else None
    settings: dict[str, Any] = {}
    layers = (
        project.format_defaults.get(fmt),
        project.config,
        project.formats.get(fmt),
        source.front_matter,
        front_fmt,
    )
    for layer in layers:
        if isinstance(layer, dict):
            settings.update(layer)
            if "authors" in layer and "author" not in layer:
                settings["author"] = layer["authors"]
    return settings


def format_metadata(
    project: Project, source: Source, options: RenderOptions, fmt: str
) -> dict[str, Any]:
    """The metadata `fmt`'s pandoc run reads: the settings Quarto passes through, merged as Quarto
    merges them, and what galley's filters and templates take (authors, title block, labels in
    the document's language, source notes, the edition's changes)."""
    settings = merged_settings(project, source, fmt)
    meta = {key: settings[key] for key in PASSED_THROUGH if key in settings}
    meta.setdefault("lang", "en")  # Quarto's default too; readers and screen readers need it
    meta.update(localized(meta))  # "Figura 1", "Nota"… for `lang: es`, as Quarto writes them
    where = project.rel(project.article)
    meta.update(normalize_authors(settings, where))
    meta.update(title_block_metadata(settings, project.article))
    meta["galley-meta-flags"] = boolean_flags(settings)
    location = str(settings.get("reference-location") or "document")
    if location != "document":  # for margin-notes.lua, which has nothing to do without it
        meta["galley-reference-location"] = location
    meta.update(include_metadata(settings, fmt, project.article, project.root))
    if fmt == "html":
        meta["galley-appendix"] = appendix_markdown(
            {**settings, **meta, "date": settings.get("date")}
        )
    if native_citations(settings, fmt):
        meta["galley-native-citations"] = True
        meta.update(bibliography_metadata(project, source.front_matter, settings))
    meta["author"] = [a["name"] for a in meta["galley-authors"]]
    meta["bibliography"] = [str(b) for b in options.bibliographies or project.bibliographies]
    csl = csl_path(project)
    if csl is not None:
        # Relative to the folder pandoc runs in: the value lands in the DOCX's properties, where
        # an absolute path would tell readers the author's folders and vary between machines.
        meta["csl"] = os.path.relpath(csl, project.article.parent)
    meta["number-sections"] = bool(settings.get("number-sections"))
    meta["galley-source-notes"] = options.source_notes
    meta["galley-other-formats"] = [
        {"label": FORMAT_LABELS[other], "href": project.article.stem + FORMAT_EXTENSIONS[other]}
        for other in project.formats
        if other != fmt and other != "html"
    ]
    if "keywords" in meta:
        meta["keywords"] = keyword_list(meta["keywords"])
    if "title" in meta:
        meta["pagetitle"] = str(meta["title"])
    edition.adjust_metadata(project, options, meta)
    if fmt in ("typst", "pdf"):
        meta.update(typst_values(meta, project))
    return meta


def docx_page(project: Project, source: Source, meta: dict[str, Any]) -> DocxPage:
    """The DOCX's page: the PDF's paper (its `papersize`, from the Typst format's settings when
    the project makes a PDF) and margins, and its running head."""
    fmt = "typst" if "typst" in project.formats else "docx"
    width, height, margin = page_size(
        merged_settings(project, source, fmt).get("papersize"), project
    )
    head = running_head(meta.get("galley-running-head") or meta.get("title"))
    surnames = [str(a["surname"]) for a in meta.get("galley-authors", [])]
    return DocxPage(width, height, margin, head, surnames)


def docx_front(meta: dict[str, Any]) -> str:
    """The title block's rest for Word, in order under the authors: affiliations and e-mails
    (`Author` style), then the abstract and keywords (`Abstract Title`, `Abstract`). Pandoc's DOCX
    writer has no place for affiliations, so the abstract moves out of the metadata into the body
    to come after them. Takes `abstract` out of `meta`."""
    authors = meta.get("galley-authors", [])
    lines = []
    for affiliation in meta.get("galley-affiliations", []):
        members = [
            a["name"]
            for a in authors
            if affiliation["number"] in a["affiliation-numbers"].split(",")
        ]
        lines.append(f"{affiliation['name']} ({', '.join(members)})")
    for author in authors:
        if author["email"]:
            role = ", corresponding author" if author["corresponding"] else ""
            lines.append(f"{author['name']}{role}: {author['email']}")
    block = ""
    if lines:
        block += '::: {custom-style="Author"}\n' + "\\\n".join(lines) + "\n:::\n\n"
    abstract = meta.pop("abstract", None)
    if abstract:
        title = meta["galley-labels"]["abstract"]
        block += f'::: {{custom-style="Abstract Title"}}\n{title}\n:::\n\n'
        block += f'::: {{custom-style="Abstract"}}\n{abstract}\n:::\n\n'
    keywords = meta.get("keywords")
    if keywords:
        words = "; ".join(str(k) for k in keywords)
        label = meta["galley-labels"]["keywords"]
        block += f'::: {{custom-style="Abstract"}}\n**{label}:** {words}\n:::\n\n'
    return block
