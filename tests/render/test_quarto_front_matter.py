"""Front matter as other authors write it: plural `authors:` (Quarto's alias of `author:`), and
`lang: pt-BR`, which Typst takes as language and region, with Quarto's Brazilian Portuguese words
("Figura 1 (a)", "Tabela 1", "Nota", from Quarto's `_language-pt.yml` and
`_language-pt-BR.yml`) in every format. Built with real pandoc and Typst."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from galley.engines.typst_values import typst_values
from galley.project import load_project
from galley.rendering.languages import LABEL_KEYS, labels, localized
from tests.conftest import galley
from tests.render.fixtures import docx_xml, html, pdf_text, write_project

AUTHORS = (
    "title: T\nauthors:\n  - name: Ana Souza\n    email: ana@example.org\n    affiliations:\n"
    "      - name: Universidade Federal\n  - name: Bo Li\n"
)
BODY = """\
Veja @fig-painel, @fig-a e @tbl-dados.

::: {#fig-painel layout-ncol=2}
![Primeiro](a.svg){#fig-a fig-alt="Um ponto"}

![Segundo](b.svg){#fig-b fig-alt="Outro ponto"}

Dois painéis.
:::

| a | b |
|---|---|
| 1 | 2 |

: Dados {#tbl-dados}

::: {.callout-note}
Informação.
:::
"""
DOT = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="18"/></svg>'


def test_plural_authors_fill_the_title_block_in_every_format(tmp_path: Path) -> None:
    root = write_project(tmp_path, AUTHORS, "Text.\n", "html docx typst")
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    page = html(root)
    assert '<meta name="author" content="Ana Souza">' in page
    assert re.search(r"Ana Souza.*Universidade Federal", page, re.S)
    assert '<div class="quarto-title-meta-heading">Authors</div>' in page
    words = " ".join(re.sub(r"<[^>]+>", " ", docx_xml(root)).split())
    assert "Ana Souza" in words and "Bo Li" in words and "Universidade Federal" in words
    assert pdf_text(root).startswith("T Ana Souza1, Bo Li 1Universidade Federal ana@example.org")


def test_brazilian_portuguese_splits_for_typst_and_gets_quartos_words(tmp_path: Path) -> None:
    front = "title: T\nlang: pt-BR\ntoc: true\nabstract: Um resumo.\n"
    root = write_project(tmp_path, front, BODY, "html docx typst")
    for name in ("a.svg", "b.svg"):
        (root / "doc" / name).write_text(DOT, encoding="utf-8")
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr  # Typst refuses `lang: "pt-BR"` whole
    page = re.sub(r"<[^>]+>", "", html(root)).replace("&nbsp;", " ")
    words = re.sub(r"<[^>]+>", "", docx_xml(root)).replace("\xa0", " ")
    text = pdf_text(root).replace("\xa0", " ")
    for output in (page, words, text):
        assert "Veja Figura 1, Figura 1 (a) e Tabela 1." in output
        assert "Figura 1: Dois painéis." in output and "Tabela 1: Dados" in output
        assert "Nota" in output and "Figure 1" not in output
    assert '<html lang="pt-BR">' in html(root)
    assert '<h2 id="abstract-title" class="abstract-title">Resumo</h2>' in html(root)
    assert 'class="toc-title">Índice</span>' in html(root)
    pdf = pypdf.PdfReader(root / "_manuscript" / "doc" / "index.pdf")
    assert pdf.trailer["/Root"]["/Lang"] == "pt-BR"  # Typst's language and region, together


# The translations Quarto 1.10.18 ships (src/resources/language/_language-*.yml).
QUARTO_LANGUAGES = [
    "bg",
    "ca",
    "cs",
    "da",
    "de",
    "de-CH",
    "el",
    "es",
    "eu",
    "fi",
    "fr",
    "fr-CA",
    "he",
    "id",
    "is",
    "it",
    "ja",
    "ko",
    "lt",
    "nb",
    "nl",
    "nn",
    "pl",
    "pt",
    "pt-BR",
    "ru",
    "sk",
    "sl",
    "sr-Latn",
    "sv",
    "tr",
    "ua",
    "zh",
    "zh-TW",
]


def test_every_language_quarto_ships_has_its_words_and_regional_variants_override() -> None:
    for lang in QUARTO_LANGUAGES:
        words = localized({"lang": lang})
        assert set(words["crossref"]) >= {"fig-title", "tbl-title", "sec-prefix", "eq-prefix"}
        assert set(labels(lang)) == set(LABEL_KEYS)
    assert localized({"lang": "zh-TW"})["crossref"]["fig-title"] == "圖"
    assert localized({"lang": "zh"})["crossref"]["fig-title"] == "图"
    assert localized({"lang": "pt-BR"})["crossref"]["cnj-title"] == "Conjectura"
    assert localized({"lang": "pt"})["crossref"]["cnj-title"] == "Conjetura"
    # fr-CA changes only the author headings; the rest is French.
    assert labels("fr-CA")["authors"] == "Auteures(-trices)"
    assert labels("fr-CA")["abstract"] == "Résumé"
    assert localized({"lang": "en-GB"}) == {} and localized({"lang": "xx"}) == {}


@pytest.mark.parametrize(
    ("tag", "lang", "region"),
    [
        ("pt-BR", '"pt"', '"BR"'),
        ("zh-Hant-TW", '"zh"', '"TW"'),
        ("sr-Latn", '"sr"', None),
        ("en", '"en"', None),
        ("pt_br", '"pt"', '"BR"'),
        ("not a language", '"en"', None),
        ("es-419", '"es"', None),
    ],
)
def test_a_language_tag_reaches_typst_as_language_and_region(
    tmp_path: Path, tag: str, lang: str, region: str | None
) -> None:
    project = load_project(write_project(tmp_path, "title: T\n", "Text.\n", "typst"))
    values = typst_values({"lang": tag}, project)
    assert values["galley-typst-lang"] == f"`{lang}`{{=typst}}"
    assert values.get("galley-typst-region") == (region and f"`{region}`{{=typst}}")
