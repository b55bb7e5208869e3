"""The preview's fast path for a prose edit, with real pandoc on a copy of the article: a sentence
edit shows the page `galley build --to html` writes; an edit the paragraph alone cannot show (a
new citation, a heading, a paragraph whose rendering stands twice in the page) renders it all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from galley.errors import GalleyError
from galley.preview.paragraphs import plain_edit
from galley.preview.rebuild import HtmlRebuild

ANCHOR = "The main focus of this study"  # its paragraph cites @buzan2008
TWICE = "A paragraph said twice."


@pytest.fixture(scope="module")
def rebuild(tmp_path_factory: pytest.TempPathFactory) -> HtmlRebuild:
    from tests.conftest import copy_project

    root = copy_project(tmp_path_factory.mktemp("quick-edit"))
    article = root / "manuscript" / "index.qmd"
    article.write_text(article.read_text("utf-8") + f"\n{TWICE}\n\n{TWICE}\n", "utf-8")
    built = HtmlRebuild(str(root), "pandoc")
    built(None)
    return built


def save(rebuild: HtmlRebuild, old: str, new: str) -> Path:
    article = Path(rebuild.root) / "manuscript" / "index.qmd"
    text = article.read_text("utf-8")
    assert old in text
    article.write_text(text.replace(old, new, 1), "utf-8")
    return article


def page_on_disk(rebuild: HtmlRebuild) -> bytes:
    return (Path(rebuild.root) / "_manuscript" / "manuscript" / "index.html").read_bytes()


def test_sentence_edit_shows_the_page_galley_build_writes(
    rebuild: HtmlRebuild, run_galley: Callable[..., CompletedProcess[str]]
) -> None:
    article = save(rebuild, ANCHOR, f"A sentence just saved. {ANCHOR}")
    shown = rebuild([article])
    assert shown.changed and shown.page is not None  # the paragraph alone was rendered
    assert b"A sentence just saved. The main focus" in shown.page
    assert rebuild.pending is not None
    settled = rebuild.settle()
    assert not settled.changed  # the whole render wrote the page already shown: no reload
    assert rebuild.pending is None
    assert page_on_disk(rebuild) == shown.page
    (Path(rebuild.root) / "_manuscript" / "manuscript" / "index.html").unlink()
    built = run_galley("build", "--to", "html", cwd=Path(rebuild.root))
    assert built.returncode == 0, built.stderr
    assert page_on_disk(rebuild) == shown.page


def test_edit_adding_a_citation_renders_the_whole_article(rebuild: HtmlRebuild) -> None:
    article = save(rebuild, ANCHOR, f"As @unodc2023 reports, {ANCHOR.lower()}")
    rebuilt = rebuild([article])
    assert rebuilt.changed and rebuilt.page is None
    assert b'As <span class="citation" data-cites="unodc2023">' in page_on_disk(rebuild)


def test_paragraph_rendered_twice_in_the_page_renders_the_whole_article(
    rebuild: HtmlRebuild,
) -> None:
    article = save(rebuild, TWICE, "A paragraph said once, then twice.")
    rebuilt = rebuild([article])
    assert rebuilt.changed and rebuilt.page is None
    assert b"<p>A paragraph said once, then twice.</p>" in page_on_disk(rebuild)


def test_whole_render_failing_after_a_paragraph_edit_is_reported_once(
    rebuild: HtmlRebuild,
) -> None:
    article = save(rebuild, "Furthermore,", "Another sentence. Furthermore,")
    assert rebuild([article]).page is not None
    bibliography = Path(rebuild.root) / "references.bib"
    good = bibliography.read_bytes()
    bibliography.write_bytes(b"\xff not UTF-8")
    try:
        with pytest.raises(GalleyError, match="references.bib"):
            rebuild.settle()
        assert rebuild.pending is None  # not tried again each quiet second
        assert rebuild._shown_in_place([article]) is None  # the next save renders it all
    finally:
        bibliography.write_bytes(good)
    assert rebuild([bibliography]).changed
    assert b"Another sentence. Furthermore," in page_on_disk(rebuild)


def test_saving_the_same_bytes_again_reloads_nothing(rebuild: HtmlRebuild) -> None:
    article = save(rebuild, "", "")
    assert not rebuild([article]).changed


BODY = """# Introduction {#sec-intro}

A plain paragraph cites @a and [see @b, p. 3].

Another with a [link](https://example.org).

```
code in a fence

more code
```

::: {.callout-note}
A paragraph in a callout.

:::

Term

: its definition
"""


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("cites @a and", "cites @c and"),  # another citation
        ("cites @a and", "cites @a, @c and"),
        ("A plain paragraph", "A plain paragraph, see @sec-intro,"),  # a cross-reference
        ("A plain paragraph", "A plain paragraph^[a footnote]"),
        ("A plain paragraph", "A plain *paragraph* $x^2$"),  # math
        ("A plain paragraph", "## A plain paragraph"),  # now a heading
        ("A plain paragraph", "- A plain paragraph"),  # now a list
        ("A plain paragraph", "A plain paragraph {{< meta title >}}"),
        ("A plain paragraph", "A plain <b>paragraph</b>"),
        ("A plain paragraph", "A [plain] paragraph"),  # a reference link
        ("(https://example.org)", "(data.csv)"),  # a link to a local file
        ("more code", "more code, edited"),  # in a code fence
        ("A paragraph in a callout.", "A sentence in a callout."),
        ("Term", "A term"),  # a definition list's term
        ("Introduction", "Introduction, edited"),
    ],
)
def test_edit_outside_one_plain_paragraph_needs_the_whole_render(old: str, new: str) -> None:
    assert plain_edit(BODY, BODY.replace(old, new, 1)) is None


def test_edit_inside_one_plain_paragraph_is_found() -> None:
    edited = BODY.replace("A plain paragraph", 'A *plainer*, "quoted" paragraph')
    edit = plain_edit(BODY, edited)
    assert edit is not None
    assert edit.old == "A plain paragraph cites @a and [see @b, p. 3]."
    assert edit.new == 'A *plainer*, "quoted" paragraph cites @a and [see @b, p. 3].'
