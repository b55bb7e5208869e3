"""A document in another language gets Quarto's words for its numbered and titled constructs
(`lang: es`: "Figura 1", "Tabla 1", "Sección 1", "Nota", "Conjetura 1", "Demostración", as in
Quarto's `_language-es.yml`) in every format; the author's `language:` and `crossref:` come
first; an English document is unchanged."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from pypdf import PdfReader

from tests.conftest import galley
from tests.render.test_crossrefs import make_project

BODY = """\
# Métodos {#sec-metodos}

Véase @fig-punto, @tbl-cifras, @sec-metodos y @cnj-redondo.

![Un punto](punto.svg){#fig-punto}

| a | b |
|---|---|
| 1 | 2 |

: Cifras {#tbl-cifras}

::: {.callout-note}
Información.
:::

::: {#cnj-redondo}
## Redondo
El mundo es redondo.
:::

::: {.proof}
Obvio.
:::
"""
DOT = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="18"/></svg>'


def spanish_project(tmp_path: Path, settings: str = "") -> Path:
    root = make_project(tmp_path, BODY)
    (root / "doc" / "punto.svg").write_text(DOT, encoding="utf-8")
    quarto = root / "_quarto.yml"
    quarto.write_text(quarto.read_text(encoding="utf-8") + "lang: es\n" + settings, "utf-8")
    return root


def built(root: Path, fmt: str) -> str:
    result = galley("build", "--to", fmt, cwd=root)
    assert result.returncode == 0, result.stderr
    out = root / "_manuscript" / "doc"
    if fmt == "html":
        text = (out / "index.html").read_text(encoding="utf-8")
        return re.sub(r"<[^>]+>", "", text).replace("&nbsp;", " ").replace("\xa0", " ")
    if fmt == "docx":
        with zipfile.ZipFile(out / "index.docx") as docx:
            xml = docx.read("word/document.xml").decode("utf-8")
        return re.sub(r"<[^>]+>", "", xml).replace("\xa0", " ")
    pages = PdfReader(out / "index.pdf").pages
    return " ".join(page.extract_text() for page in pages).replace("\xa0", " ")


def test_a_spanish_document_gets_quartos_spanish_words_in_every_format(tmp_path: Path) -> None:
    root = spanish_project(tmp_path)
    for fmt in ("html", "docx", "typst"):
        text = built(root, fmt)
        for words in ("Figura 1", "Tabla 1", "Sección 1", "Conjetura 1", "Nota", "Demostración"):
            assert words in text, (fmt, words)
        assert "Figure 1" not in text and "Table 1" not in text, fmt


def test_the_authors_language_and_crossref_settings_come_before_the_languages_words(
    tmp_path: Path,
) -> None:
    settings = 'crossref:\n  fig-prefix: "Fig."\nlanguage:\n  callout-note-title: "Ojo"\n'
    text = built(spanish_project(tmp_path, settings), "html")
    assert "Véase Fig. 1," in text  # the reference word is the author's
    assert "Figura 1" in text  # the caption keeps the language's word
    assert "Ojo" in text and "Nota" not in text


def test_an_english_document_keeps_the_english_words(tmp_path: Path) -> None:
    root = make_project(tmp_path, BODY)
    (root / "doc" / "punto.svg").write_text(DOT, encoding="utf-8")
    text = built(root, "html")
    for words in ("Figure 1", "Table 1", "Section 1", "Conjecture 1", "Note", "Proof"):
        assert words in text, words
