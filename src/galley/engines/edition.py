"""The reviewer's edition: what `--self-contained`, `--anonymous` and `--profile review` change
in the embedded engine's metadata, its pandoc arguments and the finished files (the DOCX's in
galley.engines.docx_edition, which only a render of it imports).

- `--self-contained`: the HTML carries its images, style and script inside (pandoc's
  `--embed-resources`), one file to e-mail, in a folder of its own (`self-contained/`) so that it
  never replaces the normal edition's page.
- `--anonymous` (blind review): no author, affiliation or e-mail in any output. The templates
  only ever print authors from the metadata removed here; the DOCX's document properties are
  cleaned afterwards, since pandoc copies all metadata into them.
- `--profile review`: every body paragraph carries the same number in all three formats
  (paragraph-numbers.lua: "¶12", a permalink `#p-12` in HTML), and the paged formats number
  their lines as well (Typst `par.line` in the PDF, Word's `w:lnNumType` in the DOCX). Line
  numbers are the pages' own and differ between PDF and DOCX, as Word lays out its own lines;
  the paragraph number is the one a reviewer can quote in any format.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from galley.engines.options import RenderOptions
from galley.errors import GalleyError
from galley.project import Project

PROFILES = ("review",)
# RenderOptions field -> the command-line flag that sets it
FLAG_NAMES = {
    "self_contained": "--self-contained",
    "anonymous": "--anonymous",
    "profile": "--profile",
}
# Front-matter settings that name or reach the authors; dropped for a blind review.
AUTHOR_KEYS = (
    "author", "authors", "affiliations", "galley-authors", "galley-affiliations", "galley-emails",
    "galley-corresponding-key",
)  # fmt: skip
# How Typst words its refusal of the PDF/UA-1 standard.
PDF_UA_ERROR = re.compile(r"PDF/UA-1 error: ([^\n]+)")


def check(project: Project, engine: str, flags: Mapping[str, object]) -> None:
    """Refuse what the chosen engine cannot do: a misspelt profile, or Quarto asked for an
    edition that only the embedded engine makes. Quarto makes the review profile itself, from
    the project's Quarto profile file (`_quarto-review.yml`, which turns on the galley
    extension's paragraph numbers)."""
    profile = flags.get("profile")
    if profile is not None and profile not in PROFILES:
        raise GalleyError(f"unknown profile `{profile}`; use one of {', '.join(PROFILES)}")
    profile_file = f"_quarto-{profile}.yml"
    if engine == "quarto" and profile and not (project.root / profile_file).is_file():
        raise GalleyError(
            f"`--profile {profile}` with Quarto needs Quarto's profile file `{profile_file}`, "
            "which this project lacks; add it (see the README's `Using real Quarto`) or use "
            "`--engine pandoc`"
        )
    asked = [
        FLAG_NAMES[name]
        for name, value in flags.items()
        if value and not (engine == "quarto" and name == "profile")
    ]
    if engine != "pandoc" and asked:
        raise GalleyError(
            f"{', '.join(asked)} is made by the embedded engine only; add `--engine pandoc`"
        )


def edition_name(flags: Mapping[str, object]) -> str:
    """The edition `flags` ask for: "" for the normal one, else "review", "anonymous",
    "self-contained" or their combination ("review-anonymous-self-contained"). Each lives in a
    folder of its own under the output folder, so that one never overwrites another and the
    author cannot send the wrong one by mistake."""
    parts = [str(flags["profile"])] if flags.get("profile") else []
    parts += ["anonymous"] if flags.get("anonymous") else []
    return "-".join(parts + (["self-contained"] if flags.get("self_contained") else []))


def edition_dir(project: Project, name: str) -> Path:
    return project.output_dir / name if name else project.output_dir


def edition_output(project: Project, name: str, fmt: str) -> Path:
    """Where the edition `name` of the article in format `fmt` is written."""
    relative = project.output_path(fmt).relative_to(project.output_dir)
    return edition_dir(project, name) / relative


def cache_name(name: str, fmt: str) -> str:
    """The render cache's name for one format of one edition: `html`, `review/html`…"""
    return f"{name}/{fmt}" if name else fmt


def cache_extra(fmt: str, flags: Mapping[str, object]) -> str:
    """What the render cache must tell apart: the same sources built for another edition.
    Only the HTML is self-contained or not, so the other formats ignore that flag."""
    return " ".join(
        f"{name}={flags[name]}"
        for name in sorted(flags)
        if fmt == "html" or name != "self_contained"
    )


def adjust_metadata(project: Project, options: RenderOptions, meta: dict[str, Any]) -> None:
    """Edit one format's pandoc metadata in place for the edition `options` asks for."""
    if options.anonymous:
        for key in AUTHOR_KEYS:
            meta.pop(key, None)
    else:  # Google Scholar's and Zotero's tags name the authors (citation-meta.lua)
        meta["galley-citation-meta"] = True
        pdf = [f["href"] for f in meta.get("galley-other-formats", []) if f["label"] == "PDF"]
        if pdf:
            meta["galley-pdf-href"] = pdf[0]
    if options.profile == "review":
        meta["galley-paragraph-numbers"] = True
        meta["galley-line-numbers"] = True
    notebooks = notebook_links(project)
    if notebooks:
        meta["galley-notebooks"] = notebooks
        manifest = {"label": "Manifest (JSON)", "href": _from_html(project, "manifest.json")}
        meta["galley-other-formats"] = [*meta.get("galley-other-formats", []), manifest]


def _from_html(project: Project, path: str) -> str:
    """`path` in the edition's folder, as a link from its HTML page."""
    html_dir = project.output_path("html").parent
    return Path(os.path.relpath(project.output_dir / path, html_dir)).as_posix()


def notebook_links(project: Project) -> list[dict[str, str]]:
    """The reviewer notebooks a build writes, one per declared step, each linked as its HTML
    page (`_manuscript/notebooks/<step>.html`, beside the `.ipynb`) from the HTML's folder."""
    if not project.galley.get("steps"):
        return []
    from galley.steps.config import load_steps
    from galley.steps.notes import notebook_path

    return [
        {
            "label": name,
            "href": _from_html(project, notebook_path(step)[: -len(".ipynb")] + ".html"),
        }
        for name, step in load_steps(project).items()
    ]


def pdf_standards(meta: Mapping[str, object]) -> Literal["ua-1"] | None:
    """PDF/UA-1 (a tagged PDF with alt text, title and language), which needs a title. A goal,
    not a gate: see `pdf_ua_refusal`."""
    return "ua-1" if meta.get("title") else None


def pdf_ua_refusal(typst_error: str) -> str | None:
    """Why Typst refused to write PDF/UA-1 ("missing alt text", "the first heading must be of
    level 1"…), or None when it failed for another reason. A document with other errors as
    well fails again as a plain PDF, with those errors."""
    reasons = dict.fromkeys(reason.strip() for reason in PDF_UA_ERROR.findall(typst_error))
    return "; ".join(reasons) or None


def html_args(options: RenderOptions) -> list[str]:
    return ["--embed-resources"] if options.self_contained else []
