"""The words galley writes in the document's language (`lang:`): the title block's headings and
month names, and the words Quarto's language files give cross-references, callouts and proofs
("Figura 1", "Nota", "Demostración" for `lang: es`), for the languages galley knows. A regional
variant (fr-CA) overrides its language; anything unknown is English. The author's own
`language:` and `crossref:` settings come first, as in Quarto.
"""

from __future__ import annotations

from typing import Any

# The title block's headings, by language; a regional variant (fr-CA) overrides its language.
LABELS: dict[str, dict[str, str]] = {
    "en": {"author": "Author", "authors": "Authors", "published": "Published",
           "modified": "Modified", "abstract": "Abstract", "keywords": "Keywords",
           "reuse": "Reuse", "copyright": "Copyright", "citation": "Citation",
           "bibtex": "BibTeX citation", "cite-as": "For attribution, please cite this work as:"},
    "fr": {"author": "Auteur·rice", "authors": "Auteur·rice·s", "published": "Date de publication",
           "modified": "Date de modification", "abstract": "Résumé", "keywords": "Mots clés",
           "reuse": "Réutilisation", "copyright": "Droits d'auteur", "citation": "Citation",
           "bibtex": "Citation BibTeX", "cite-as": "Pour l'attribution, citez ce travail comme suit :"},
    "fr-CA": {"author": "Auteur(-trice)", "authors": "Auteur(-trice)s"},
    "es": {"author": "Autor/a", "authors": "Autores/as", "published": "Fecha de publicación",
           "modified": "Fecha de modificación", "abstract": "Resumen", "keywords": "Palabras clave",
           "reuse": "Reutilización", "copyright": "Derechos de autor", "citation": "Cita",
           "bibtex": "Cita BibTeX", "cite-as": "Por favor, cite este trabajo como:"},
    "de": {"author": "Autor:in", "authors": "Autor:innen", "published": "Veröffentlichungsdatum",
           "modified": "Geändert", "abstract": "Zusammenfassung", "keywords": "Schlüsselwörter",
           "reuse": "Wiederverwendung", "copyright": "Urheberrecht", "citation": "Zitat",
           "bibtex": "BibTeX-Zitat", "cite-as": "Bitte zitieren Sie diese Arbeit als:"},
    "id": {"author": "Penulis", "authors": "Penulis", "published": "Diterbitkan",
           "modified": "Diubah", "abstract": "Abstrak", "keywords": "Kata kunci",
           "reuse": "Penggunaan ulang", "copyright": "Hak cipta", "citation": "Kutipan",
           "bibtex": "Kutipan BibTeX", "cite-as": "Untuk atribusi, kutip karya ini sebagai:"},
}  # fmt: skip
MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "id": "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember",
}
# Quarto's words for numbered and titled constructs, by language (its `_language-xx.yml`
# keys). English is the filters' own default, so it needs no entry.
TERMS: dict[str, dict[str, str]] = {
    "es": {"callout-tip-title": "Tip", "callout-note-title": "Nota",
           "callout-warning-title": "Advertencia", "callout-important-title": "Importante",
           "callout-caution-title": "Precaución", "crossref-fig-title": "Figura",
           "crossref-tbl-title": "Tabla", "crossref-lst-title": "Listado",
           "crossref-thm-title": "Teorema", "crossref-lem-title": "Lema",
           "crossref-cor-title": "Corolario", "crossref-prp-title": "Proposición",
           "crossref-cnj-title": "Conjetura", "crossref-def-title": "Definición",
           "crossref-exm-title": "Ejemplo", "crossref-exr-title": "Ejercicio",
           "crossref-sec-prefix": "Sección", "crossref-eq-prefix": "Ecuación",
           "environment-proof-title": "Demostración", "environment-remark-title": "Observación",
           "environment-solution-title": "Solución"},
    "fr": {"callout-tip-title": "Astuce", "callout-note-title": "Note",
           "callout-warning-title": "Avertissement", "callout-important-title": "Important",
           "callout-caution-title": "Mise en garde", "crossref-fig-title": "Figure",
           "crossref-tbl-title": "Table", "crossref-lst-title": "Listing",
           "crossref-thm-title": "Théorème", "crossref-lem-title": "Lemme",
           "crossref-cor-title": "Corollaire", "crossref-prp-title": "Proposition",
           "crossref-cnj-title": "Conjecture", "crossref-def-title": "Définition",
           "crossref-exm-title": "Exemple", "crossref-exr-title": "Exercice",
           "crossref-sec-prefix": "Section", "crossref-eq-prefix": "Équation",
           "environment-proof-title": "Preuve", "environment-remark-title": "Remarque",
           "environment-solution-title": "Solution"},
    "de": {"callout-tip-title": "Tipp", "callout-note-title": "Hinweis",
           "callout-warning-title": "Warnung", "callout-important-title": "Wichtig",
           "callout-caution-title": "Vorsicht", "crossref-fig-title": "Abbildung",
           "crossref-tbl-title": "Tabelle", "crossref-lst-title": "Listing",
           "crossref-thm-title": "Theorem", "crossref-lem-title": "Lemma",
           "crossref-cor-title": "Korollar", "crossref-prp-title": "Aussage",
           "crossref-cnj-title": "Annahme", "crossref-def-title": "Definition",
           "crossref-exm-title": "Beispiel", "crossref-exr-title": "Übungsaufgabe",
           "crossref-sec-prefix": "Kapitel", "crossref-eq-prefix": "Gleichung",
           "environment-proof-title": "Beweis", "environment-remark-title": "Anmerkung",
           "environment-solution-title": "Lösung"},
    "id": {"callout-tip-title": "Tip", "callout-note-title": "Catatan",
           "callout-warning-title": "Peringatan", "callout-important-title": "Penting",
           "callout-caution-title": "Bahaya", "crossref-fig-title": "Gambar",
           "crossref-tbl-title": "Tabel", "crossref-lst-title": "Daftar",
           "crossref-thm-title": "Teorema", "crossref-lem-title": "Lema",
           "crossref-cor-title": "Korolari", "crossref-prp-title": "Proposisi",
           "crossref-cnj-title": "Dugaan", "crossref-def-title": "Definisi",
           "crossref-exm-title": "Contoh", "crossref-exr-title": "Latihan",
           "crossref-sec-prefix": "Bagian", "crossref-eq-prefix": "Perhitungan",
           "environment-proof-title": "Bukti", "environment-remark-title": "Keterangan",
           "environment-solution-title": "Pemecahan"},
}  # fmt: skip
# The kinds whose caption word (`crossref: fig-title`) and reference word (`fig-prefix`) the
# filters read from `crossref:`; sections and equations have a reference word only.
TITLED_KINDS = ("fig", "tbl", "lst", "thm", "lem", "cor", "prp", "cnj", "def", "exm", "exr")
PREFIXED_KINDS = ("sec", "eq")


def _by_language(table: dict[str, dict[str, str]], lang: str) -> dict[str, str]:
    return {**table.get(lang.split("-")[0], {}), **table.get(lang, {})}


def labels(lang: str) -> dict[str, str]:
    """The headings for `lang` (e.g. `fr-CA`), falling back to its language, then English."""
    return {**LABELS["en"], **_by_language(LABELS, lang)}


def month_names(lang: str) -> list[str]:
    return MONTHS.get(lang.split("-")[0], MONTHS["en"]).split()


def localized(meta: dict[str, Any]) -> dict[str, Any]:
    """The `language:` and `crossref:` metadata for the document's language: its words under the
    author's own settings. Empty for English and unknown languages (the filters' words)."""
    terms = _by_language(TERMS, str(meta.get("lang") or "en"))
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
