"""Nothing crosses a boundary: data values stay text in every format, outputs reference and
embed only files inside the project, data paths stay inside it, and every value galley writes
into Typst is escaped for its context. Each case is a hostile input in a real build."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from pypdf import PdfReader

from tests.hardening.conftest import QUARTO, make_project, run
from tests.hardening.test_safe_outputs import CHROMIUM, CHROMIUM_ARGS

ALL_FORMATS = QUARTO.replace("html: default", "html: default\n  docx: default\n  typst: default")
# A value from data that, read as Markdown, would be an element covering the page, a
# javascript: link, raw Typst that stops the PDF, emphasis and a citation.
HOSTILE_VALUE = (
    "[hover me]{onmouseover=window.__pwned=1 style=position:fixed;inset:0} "
    '[x](javascript:window.__pwned=2) `#panic("pwned")`{=typst} *bold* @a'
)
VARIABLES = f"hostile: {json.dumps(HOSTILE_VALUE)}\nmultiline: |\n  one\n  two\n"
ARTICLE = """\
---
title: A small article
---

Cites [@a]. The value is {{< var hostile >}} and {{< var multiline >}} end.
"""


@pytest.fixture(scope="module")
def var_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(
        tmp_path_factory.mktemp("var") / "project",
        {"_quarto.yml": ALL_FORMATS, "index.qmd": ARTICLE, "_variables.yml": VARIABLES},
    )
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "_manuscript"


def test_a_var_value_is_literal_text_in_the_html(var_build: Path) -> None:
    html = " ".join((var_build / "index.html").read_text(encoding="utf-8").split())
    assert "onmouseover" not in html.replace("{onmouseover=", "")
    assert 'href="javascript' not in html
    assert "[hover me]{onmouseover=window.__pwned=1 style=position:fixed;inset:0}" in html
    assert "[x](javascript:window.__pwned=2)" in html
    assert "*bold* @a" in html
    assert "one two end" in html


@pytest.mark.browser
def test_a_var_value_is_inert_text_in_chromium(var_build: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto((var_build / "index.html").as_uri())
        page.evaluate(
            "for (const el of document.querySelectorAll('body *')) {"
            " el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); }"
        )
        pwned = page.evaluate("window.__pwned")
        javascript_links = page.eval_on_selector_all(
            "a[href]", "links => links.filter(a => /^\\s*javascript:/i.test(a.href)).length"
        )
        text = page.inner_text("main") if page.query_selector("main") else page.inner_text("body")
        browser.close()
    assert pwned is None
    assert javascript_links == 0
    assert HOSTILE_VALUE in text


def test_a_var_value_is_literal_text_in_the_docx(var_build: Path) -> None:
    with zipfile.ZipFile(var_build / "index.docx") as docx:
        xml = docx.read("word/document.xml").decode()
        rels = docx.read("word/_rels/document.xml.rels").decode()
    assert "javascript" not in rels
    text = "".join(part.split(">", 1)[-1] for part in xml.split("<w:t"))
    assert "[x](javascript:window.__pwned=2)" in text.replace("</w:t>", "")


def test_a_var_value_is_literal_text_in_the_pdf(var_build: Path) -> None:
    text = " ".join(page.extract_text() for page in PdfReader(var_build / "index.pdf").pages)
    assert '#panic("pwned")' in text
    assert "*bold* @a" in text
