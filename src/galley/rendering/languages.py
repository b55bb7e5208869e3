"""The words galley writes in the document's language (`lang:`): the title block's headings, the
contents' title and month names, and the words Quarto's language files give cross-references,
callouts and proofs ("Figura 1", "Nota", "Demostración" for `lang: es`), for every language
Quarto ships a translation for (`languages.json`, made from Quarto's files by
`tools/quarto_languages.py`). As in Quarto, English comes first, then the language, then its
regional variant (`pt-BR`, `zh-TW`); anything unknown is English. The author's own `language:`
and `crossref:` settings come before them all, as in Quarto.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parents[1] / "engines" / "resources" / "languages.json"
# The title block's headings: galley's name -> Quarto's key.
LABEL_KEYS = {
    "author": "title-block-author-single", "authors": "title-block-author-plural",
    "published": "title-block-published", "modified": "title-block-modified",
    "abstract": "section-title-abstract", "keywords": "title-block-keywords",
    "reuse": "section-title-reuse", "copyright": "section-title-copyright",
    "citation": "section-title-citation", "bibtex": "appendix-attribution-bibtex",
    "cite-as": "appendix-attribution-cite-as", "contents": "toc-title-document",
}  # fmt: skip
# The words of numbered and titled constructs, which the filters read from `language:`.
TERM_KEYS = (
    *(f"callout-{kind}-title" for kind in ("tip", "note", "warning", "important", "caution")),
    *(f"crossref-{kind}-title" for kind in
      ("fig", "tbl", "lst", "thm", "lem", "cor", "prp", "cnj", "def", "exm", "exr")),
    "crossref-sec-prefix", "crossref-eq-prefix",
    *(f"environment-{kind}-title" for kind in ("proof", "remark", "solution")),
)  # fmt: skip
KEYS = (*LABEL_KEYS.values(), *TERM_KEYS)
MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "id": "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember",
}
# The kinds whose caption word (`crossref: fig-title`) and reference word (`fig-prefix`) the
# filters read from `crossref:`; sections and equations have a reference word only.
TITLED_KINDS = ("fig", "tbl", "lst", "thm", "lem", "cor", "prp", "cnj", "def", "exm", "exr")
PREFIXED_KINDS = ("sec", "eq")


@functools.cache
def _words() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(DATA.read_text(encoding="utf-8"))["words"]
    return data


def _by_language(lang: str) -> dict[str, str]:
    """The words `lang`'s own files give: its language's, then its variant's, as Quarto merges
    them (`sr-Latn`, `zh-TW`, `pt-BR`); empty for English and unknown languages."""
    words, subtags = _words(), lang.split("-")
    merged: dict[str, str] = {}
    for end in range(1, len(subtags) + 1):
        variation = "-".join(subtags[:end])
        if variation != "en":
            merged.update(words.get(variation, {}))
    return merged


def labels(lang: str) -> dict[str, str]:
    """The headings for `lang` (e.g. `fr-CA`), falling back to its language, then English."""
    words = {**_words()["en"], **_by_language(lang)}
    return {name: words[key] for name, key in LABEL_KEYS.items()}


def month_names(lang: str) -> list[str]:
    return MONTHS.get(lang.split("-")[0], MONTHS["en"]).split()


def localized(meta: dict[str, Any]) -> dict[str, Any]:
    """The `language:` and `crossref:` metadata for the document's language: its words under the
    author's own settings. Empty for English and unknown languages (the filters' words)."""
    own = _by_language(str(meta.get("lang") or "en"))
    terms = {key: own[key] for key in TERM_KEYS if key in own}
    if not terms:
        return {}
    own_language, own_crossref = meta.get("language"), meta.get("crossref")
    language = {**terms, **(own_language if isinstance(own_language, dict) else {})}
    crossref = dict(own_crossref) if isinstance(own_crossref, dict) else {}
    for kind in TITLED_KINDS:
        title = language.get(f"crossref-{kind}-title")
        if title is not None:
            crossref.setdefault(f"{kind}-title", title)
            crossref.setdefault(f"{kind}-prefix", language.get(f"crossref-{kind}-prefix", title))
    for kind in PREFIXED_KINDS:
        prefix = language.get(f"crossref-{kind}-prefix")
        if prefix is not None:
            crossref.setdefault(f"{kind}-prefix", prefix)
    return {"language": language, "crossref": crossref}
