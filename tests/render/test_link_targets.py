"""A large PDF is laid out twice, so that its links to labels need no extra layout pass: the PDF it
makes has the pages, the text and the link destinations of the single compile. Real Typst, on
the template's own linking rules."""

from __future__ import annotations

from pathlib import Path

import pypdf

from galley.engines.link_targets import TARGETS_LINE, resolve_link_targets
from galley.engines.pandoc import RESOURCES
from galley.util.tools import typst_module

TEMPLATE = (RESOURCES / "article-rules.typ").read_text(encoding="utf-8")
# The template's linking rules, from `galley-targets` to its `show ref` rule, with the numbers
# crossref.lua would give (the template has pandoc write them before these rules).
_START = TEMPLATE.index(TARGETS_LINE)
_END = TEMPLATE.index("\n}\n", TEMPLATE.index("#show ref:")) + 3
RULES = '#let galley-ref-numbers = ("fig-x": "1",)\n' + TEMPLATE[_START:_END]
FILLER = "Words that fill the page and push the targets further down. " * 30


def article(tmp_path: Path) -> Path:
    """Citations linked to their references, a section link and a reference to a figure, with
    the targets on later pages."""
    paragraphs = "\n\n".join(
        f"{FILLER} As #link(<ref-a>)[Author, 2020] and #link(<ref-b>)[Other, 2021] show; "
        f"see #link(<sec-end>)[Section 2] and #ref(<fig-x>, supplement: [Figure])."
        for _ in range(6)
    )
    typ = tmp_path / "index.typ"
    typ.write_text(
        RULES
        + f"= One\n{paragraphs}\n\n"
        + '#figure(rect(height: 80pt), caption: [A box], kind: "quarto-float-fig", '
        + 'supplement: "Figure", numbering: _ => "1")<fig-x>\n\n'
        + f"= Two <sec-end>\n{FILLER}\n\n"
        + "#block[A. Author (2020).] <ref-a>\n\n#block[B. Other (2021).] <ref-b>\n",
        encoding="utf-8",
    )
    return typ


def compiled(typ: Path, name: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Each page's text, and each link as (its page, the page it goes to)."""
    pdf = typ.with_name(name)
    typst_module().compile(str(typ), output=str(pdf), root=str(typ.parent))
    reader = pypdf.PdfReader(pdf)
    links = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            dest = annotation.get_object()["/Dest"]
            # A named destination (a label's, as the single compile writes for headings), or
            # an explicit one, whose first item is the page.
            page_ref = reader.named_destinations[dest].page if isinstance(dest, str) else dest[0]
            links.append((number, reader.get_page_number(page_ref.get_object())))
    return [page.extract_text() for page in reader.pages], links


def test_two_passes_give_the_single_compiles_pages_text_and_link_targets(tmp_path: Path) -> None:
    typ = article(tmp_path)
    single_text, single_links = compiled(typ, "single.pdf")
    resolve_link_targets(typ, tmp_path, large=0)
    assert TARGETS_LINE not in typ.read_text(encoding="utf-8")  # the second pass's places
    assert not (tmp_path / "index-targets.typ").exists()
    text, links = compiled(typ, "twice.pdf")
    assert len(single_text) >= 3 and text == single_text
    assert len(links) == 24 and links == single_links


def test_a_document_with_few_links_is_laid_out_once(tmp_path: Path) -> None:
    typ = article(tmp_path)
    before = typ.read_text(encoding="utf-8")
    resolve_link_targets(typ, tmp_path)  # 24 links, far below LARGE
    assert typ.read_text(encoding="utf-8") == before


def test_when_the_first_pass_fails_typst_finds_the_targets_itself(tmp_path: Path) -> None:
    typ = article(tmp_path)
    typ.write_text(typ.read_text(encoding="utf-8") + '#image("/missing.png")\n', encoding="utf-8")
    before = typ.read_text(encoding="utf-8")
    resolve_link_targets(typ, tmp_path, large=0)
    assert typ.read_text(encoding="utf-8") == before
