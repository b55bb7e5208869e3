"""The HTML's and the DOCX's runs (galley.engines.pandoc, galley.engines.format_pair): the
writer's arguments, and what galley does to the file pandoc wrote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from galley.engines import docx_edition, edition
from galley.engines.html_images import copy_images
from galley.engines.options import RenderOptions
from galley.engines.pandoc_metadata import docx_page
from galley.engines.pandoc_run import resource
from galley.project import Project
from galley.reading.sources import Source

# The HTML writer's options that shape the page's text (`galley refs` writes its entries with them).
HTML_WRITER_OPTIONS = (
    # As Quarto: no hard line breaks, so a title is never split inside its text.
    "--wrap=none",
    # Math as MathML: every current browser renders it, offline, without a script.
    "--mathml",
)

# The reader's scripts, in the order the HTML page has always had them.
PAGE_SCRIPTS = ("reader.js", "reader-contents.js", "reader-links.js")


def page_scripts() -> str:
    """The page's scripts for fragments.lua, which places them for the template (GALLEY_SCRIPTS:
    a file a line), not template partials: pandoc would parse them as template text."""
    return "\n".join(map(resource, PAGE_SCRIPTS))


def writer_args(fmt: str, meta: dict[str, Any], options: RenderOptions, target: Path) -> list[str]:
    """The writer's arguments for the HTML or the DOCX, written to `target`."""
    args = ["-t", "html5" if fmt == "html" else "docx", "-o", str(target)]
    if fmt == "html":
        args += [
            "--standalone",
            "--template", resource("article.html"),
            "--include-in-header", resource("article-style.html"),
            "--section-divs",
            *HTML_WRITER_OPTIONS,
        ]  # fmt: skip
        if meta.get("toc"):
            args.append("--toc")
        args += edition.html_args(options)
    return args


def finish(
    project: Project,
    source: Source,
    options: RenderOptions,
    fmt: str,
    meta: dict[str, Any],
    target: Path,
    stage: Path,
) -> None:
    """What galley does to the HTML or the DOCX pandoc wrote to `target`."""
    if fmt == "docx":
        docx_edition.finish_docx(target, options, docx_page(project, source, meta))
    if fmt == "html" and not options.self_contained:
        copy_images(project, target, stage)
