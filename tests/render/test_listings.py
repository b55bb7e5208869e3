"""A listing written as a code block with attributes, ```` ```{#lst-code .r lst-cap="..."} ````
(Quarto's form, seen in other authors' articles): numbered "Listing 1" with its caption, and
cross-referenced, in every format; `galley check` knows its label."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import galley
from tests.render.fixtures import docx_xml, html, pdf_text, write_project

BODY = (
    "As @lst-sum shows, it adds.\n\n"
    '```{#lst-sum .r lst-cap="Adding *two* numbers"}\nx <- 1 + 2\n```\n\n'
    '```{.python #lst-mean lst-cap="A mean"}\nm = sum(v) / len(v)\n```\n\n'
    "And @lst-mean divides.\n"
)


def test_a_code_block_with_an_lst_id_and_caption_is_a_numbered_listing(tmp_path: Path) -> None:
    root = write_project(tmp_path, "title: T\n", BODY, "html docx typst")
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    page = html(root)
    assert '<a href="#lst-sum" class="quarto-xref">Listing&nbsp;1</a> shows' in page
    assert re.search(r"Listing&nbsp;1: Adding <em>two</em> numbers\s*</figcaption>", page)
    assert re.search(r"Listing&nbsp;2: A mean\s*</figcaption>", page)
    assert '<pre class="sourceCode r">' in page  # the language class stays on the code
    words = re.sub(r"<[^>]+>", " ", docx_xml(root))
    assert "Listing 1: Adding two numbers" in " ".join(words.split())
    text = pdf_text(root)
    assert "As Listing 1 shows, it adds. Listing 1: Adding two numbers x <- 1 + 2" in text
    assert "And Listing 2 divides." in text
    assert galley("check", "--offline", cwd=root).returncode == 0
