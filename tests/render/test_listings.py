"""A listing written as a code block with attributes, ```` ```{#lst-code .r lst-cap="..."} ````
(Quarto's form, seen in other authors' articles): numbered "Listing 1" with its caption, and
cross-referenced, in every format; `galley check` knows its label."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import galley
from tests.render.fixtures import docx_xml, html, pdf_text, write_project
from tests.render.test_policies import _png

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


def test_a_caption_that_is_an_image_alone_or_a_list_is_the_listings_caption(
    tmp_path: Path,
) -> None:
    # pandoc reads an image alone in a paragraph as a figure, and `- x` as a list: the caption
    # is read as inlines still (the pandoc run stopped with "no __toinline metamethod").
    body = (
        '```{#lst-a .python lst-cap="![A sketch](e.png)"}\nprint(1)\n```\n\n'
        '```{#lst-b .python lst-cap="- listed"}\nprint(2)\n```\n\nSee @lst-a and @lst-b.\n'
    )
    root = write_project(tmp_path, "title: T\n", body, "html docx typst")
    (root / "doc" / "e.png").write_bytes(_png())
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    page = html(root)
    assert re.search(r'Listing&nbsp;1: <img src="e.png" alt="A sketch" />\s*</figcaption>', page)
    assert re.search(r"Listing&nbsp;2: listed\s*</figcaption>", page)
    assert "Listing 2: listed" in pdf_text(root)
