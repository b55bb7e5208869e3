"""Values galley writes into Typst code (not markup) in the article template: the PDF's document
metadata, the language, the text font, the paper size and the outline depth.

Pandoc escapes a metadata value for Typst *markup*; inside a Typst string literal a `"` or `\\`
would end or break it (and a wrapped line would put a line break into the PDF's metadata). So
these values reach the template as raw Typst, written here: each string escaped for a string
literal, on one line, and each number checked to be one.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from galley.engines.setting_origin import setting_origin
from galley.errors import GalleyError
from galley.project import Project
from galley.util import json_cache
from galley.util.tools import typst_module

DEFAULT_FONT = "Libertinus Serif"  # Typst's own, always there
# Paper names as pandoc and LaTeX users write them -> Typst's names for the same sizes.
MARGIN = "2.5cm"  # the template's page margin, on every side
MARGIN_PT = 2.5 / 2.54 * 72
# The text area on each paper, as Typst measured it (`_text_area`), in .galley/cache/.
PAPER_CACHE = "paper-sizes.json"
PAPER_NAMES = {"letter": "us-letter", "legal": "us-legal", "executive": "us-executive"}
# A BCP 47 tag as far as Typst uses it: the language, a script Typst has no setting for, and the
# region (`pt-BR`, `sr-Latn`, `zh-Hant-TW`); later subtags (`es-419`, variants) are left out.
LANGUAGE_TAG = re.compile(
    r"^(?P<lang>[A-Za-z]{2,3})(?:[-_][A-Za-z]{4})?(?:[-_](?P<region>[A-Za-z]{2}))?"
    r"(?:[-_][A-Za-z0-9]{1,8})*$"
)


def typst_string(text: str) -> str:
    """A Typst string literal holding `text` on one line. A backtick is written as an escape,
    so that the literal fits in a Markdown code span."""
    folded = " ".join(text.split())
    escaped = folded.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\u{60}")
    return f'"{escaped}"'


def _raw(code: str) -> str:
    """Markdown that pandoc reads as raw Typst `code` (which holds no backtick)."""
    return f"`{code}`{{=typst}}"


def _array(values: Iterable[str]) -> str:
    return _raw("(" + "".join(typst_string(v) + ", " for v in values) + ")")


def typst_values(meta: dict[str, Any], project: Project) -> dict[str, str]:
    """The template's `galley-typst-*` variables for one render's metadata."""
    paper, area = _paper(meta.get("papersize"), project)
    values = {
        **_language(str(meta.get("lang") or "en")),
        "galley-typst-paper": _raw(typst_string(paper)),
        "galley-typst-margin": _raw(MARGIN),
        # For typst-floats.lua, which decides which floats fit on a page.
        "galley-typst-text-area": " ".join(f"{size:.2f}" for size in area),
        # Quarto's `mainfont` (a name or a list, tried in order); Typst still falls back, per
        # character, on any installed font that has it.
        "galley-typst-font": _raw(
            "(" + "".join(typst_string(str(f)) + ", " for f in _fonts(meta.get("mainfont"))) + ")"
        ),
    }
    authors = meta.get("galley-authors") or []
    if authors:
        values["galley-typst-authors"] = _array(str(a["name"]) for a in authors)
    keywords = meta.get("keywords") or []
    if keywords:
        values["galley-typst-keywords"] = _array(str(k) for k in keywords)
    if meta.get("toc"):
        depth = meta.get("toc-depth", 3)
        if isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= 6:
            path, line = setting_origin(project, "toc-depth")
            raise GalleyError(
                f"`toc-depth: {depth}` is not a heading level; write a whole number from 1 to 6",
                path=path,
                line=line,
            )
        values["galley-typst-toc-depth"] = _raw(str(depth))
    return values


def _language(tag: str) -> dict[str, str]:
    """Typst's `lang` and `region` for a BCP 47 tag, split as pandoc's Typst writer (and so
    Quarto) splits it: Typst refuses `pt-BR` whole ("expected two or three letter language
    code"). A tag that is no language is English, as galley's words for it are."""
    match = LANGUAGE_TAG.match(tag)
    if match is None:
        return {"galley-typst-lang": _raw(typst_string("en"))}
    values = {"galley-typst-lang": _raw(typst_string(match["lang"].lower()))}
    if match["region"]:
        values["galley-typst-region"] = _raw(typst_string(match["region"].upper()))
    return values


def _fonts(mainfont: object) -> list[object]:
    fonts = mainfont if isinstance(mainfont, list) else [mainfont] if mainfont else []
    return fonts or [DEFAULT_FONT]


def page_size(setting: object, project: Project) -> tuple[float, float, float]:
    """The page's width and height and the template's margin, in points, for the `papersize`
    setting: the DOCX takes the PDF's page (galley.engines.docx_page)."""
    _, (width, height) = _paper(setting, project)
    return width + 2 * MARGIN_PT, height + 2 * MARGIN_PT, MARGIN_PT


def _paper(setting: object, project: Project) -> tuple[str, tuple[float, float]]:
    """Typst's name for the `papersize` setting (Typst's own names and pandoc's, `letter`), and
    the text area's width and height on it, in points."""
    name = "a4" if setting is None else str(setting).strip().lower()
    name = PAPER_NAMES.get(name, name)
    area = _text_area(name, project.cache_dir / "cache" / PAPER_CACHE)
    if area is None:
        path, line = setting_origin(project, "papersize")
        raise GalleyError(
            f"`papersize: {setting}` is not a paper size; write a Typst paper name such as a4, a5, "
            "us-letter (or letter), us-legal (or legal), or another from "
            "https://typst.app/docs/reference/layout/page/#parameters-paper",
            path=path,
            line=line,
        )
    return name, area


@functools.cache
def _text_area(paper: str, kept: Path) -> tuple[float, float] | None:
    """The text area's width and height in points on this paper with the template's margins, or
    None if the installed Typst has no such paper (it adds some in new versions). Asked of Typst
    once per Typst version (a query of 4 ms of CPU in every render), then read from `kept`."""
    typst = typst_module()
    key = f"{getattr(typst, '__version__', 'unknown')} {paper} {MARGIN}"
    known = json_cache.load(kept, json_cache.Map(json_cache.Row((float, float))))
    if key in known:
        width, height = known[key]
        return width, height
    probe = (
        f"#set page(paper: {typst_string(paper)}, margin: {MARGIN})\n"
        f"#context [#metadata((page.width - 2 * {MARGIN}, page.height - 2 * {MARGIN})"
        ".map(size => size.pt())) <galley-text-area>]"
    )
    try:
        # No text to set: the installed fonts cannot change the answer, and looking for them
        # took two thirds of the query's time.
        found = typst.query(
            probe.encode(), "<galley-text-area>", field="value", one=True, ignore_system_fonts=True
        )
    except RuntimeError:  # TypstError, or the plain RuntimeError query raises on a failed compile
        return None
    width, height = json.loads(found)
    json_cache.save(kept, {**known, key: [width, height]})
    return width, height


def keyword_list(value: object) -> list[str]:
    """Quarto's `keywords`: a list, or one string of comma-separated keywords."""
    if isinstance(value, str):
        return [k.strip() for k in re.split(r"[,;]", value) if k.strip()]
    if isinstance(value, list):
        return [" ".join(str(k).split()) for k in value if str(k).strip()]
    return [] if value is None else [str(value)]
