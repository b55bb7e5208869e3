"""The Lua filters walk the document as little as they can: a walk that numbers in document
order only when something is numbered, the metadata only when the body lacks an anchor, the
bibliography put into `#refs` divs of the top level without a walk. Each shortcut must give what
the full walk gave; these are the cases at their edges, run by real pandoc on small documents."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from galley.engines.pandoc import RESOURCES
from galley.util.tools import pandoc_path

PLAIN = "# Intro\n\nSome *text* with a [link](https://example.org) and $x^2$.\n"
REFERENCES = """references:
- id: smith2020
  type: book
  title: The book
  author: [{family: Smith, given: Ann}]
  issued: {date-parts: [[2020]]}
"""


def pandoc(
    markdown: str, to: str, filters: list[str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [pandoc_path(), "--from", "markdown", "--to", to, "--wrap=none", "-o", "-"]
    for name in filters:
        command += ["--lua-filter", str(RESOURCES / name)]
    return subprocess.run(
        command,
        input=markdown,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=True,
    )


@pytest.mark.parametrize("name", ["callout.lua", "theorem.lua", "proof.lua"])
@pytest.mark.parametrize("to", ["html", "typst", "native"])
def test_document_without_the_construct_comes_out_as_without_the_filter(name: str, to: str) -> None:
    assert pandoc(PLAIN, to, [name]).stdout == pandoc(PLAIN, to, []).stdout


def test_numbered_callout_after_a_collapsible_one_keeps_its_number_and_the_first_id() -> None:
    markdown = (
        '::: {.callout-tip collapse="true"}\nFolded.\n:::\n\n'
        "::: {#nte-later .callout-note}\nNumbered.\n:::\n"
    )
    html = pandoc(markdown, "html", ["callout.lua"]).stdout
    assert 'id="callout-1"' in html and "callout-2" not in html
    assert "Note\xa01" in html


def test_remark_in_a_remark_is_numbered_after_it_and_a_proof_beside_them_is_not() -> None:
    markdown = (
        "::: {.proof}\nPlain.\n:::\n\n"
        "::: {#rem-outer .remark}\nOuter.\n\n::: {#rem-inner .remark}\nInner.\n:::\n:::\n"
    )
    html = pandoc(markdown, "html", ["proof.lua"]).stdout
    titles = re.findall(r'<span class="proof-title"><em>([^<]+)</em>', html)
    assert titles == ["Proof", "Remark 1", "Remark 2"]


def test_headings_inside_a_float_are_numbered_in_document_order() -> None:
    markdown = (
        "---\nnumber-sections: true\n---\n\n# First\n\n"
        "::: {#fig-x}\n# Inside\n\n![A](a.png)\n\nCaption.\n:::\n\n# Last\n"
    )
    html = pandoc(markdown, "html", ["floats.lua", "crossref.lua"]).stdout
    numbers = re.findall(r'<span class="header-section-number">([^<]+)</span>', html)
    assert numbers == ["1", "2", "3"]


def test_heading_and_figure_in_a_note_of_a_heading_are_numbered_after_that_heading() -> None:
    markdown = (
        "---\nnumber-sections: true\n---\n\n# First[^1]\n\n"
        "[^1]: A note.\n\n    # In note\n\n    ::: {#fig-b}\n    ![B](b.png)\n\n    B.\n    :::\n\n"
        "::: {#fig-a}\n![A](a.png)\n\nA.\n:::\n\n# Last\n\nSee @fig-a and @fig-b.\n"
    )
    html = pandoc(markdown, "html", ["floats.lua", "crossref.lua"]).stdout
    numbers = re.findall(r'<span class="header-section-number">([^<]+)</span>', html)
    assert numbers == ["1", "3", "2"]  # the note's heading counts where its mark is
    assert 'See <a href="#fig-a" class="quarto-xref">Figure&nbsp;2</a>' in html


def test_sub_figures_are_numbered_inside_their_float_and_the_next_float_after_it() -> None:
    markdown = (
        "::: {#fig-p}\n::: {#fig-s1}\n![S1](a.png)\n\nOne.\n:::\n\n"
        "::: {#fig-s2}\n![S2](a.png)\n\nTwo.\n:::\n\nParent.\n:::\n\n"
        "::: {#fig-q}\n![Q](a.png)\n\nQ.\n:::\n\nSee @fig-s2 and @fig-q.\n"
    )
    html = pandoc(markdown, "html", ["floats.lua", "crossref.lua"]).stdout
    assert ">Figure&nbsp;1 (b)</a> and <a" in html
    assert ">Figure&nbsp;2</a>." in html


def test_a_table_read_from_raw_html_and_a_listing_caption_have_their_images_made_figures() -> None:
    # floats.lua makes them in the walk that makes figures of images, after their children.
    markdown = (
        '```{=html}\n<table><tr><td><img src="c.png" id="fig-cell" alt="x"></td></tr>'
        "</table>\n```\n\n"
        '```{#lst-a lst-cap="[![In caption](e.png)](https://example.org)"}\nprint(1)\n```\n'
    )
    native = pandoc(markdown, "native", ["floats.lua"]).stdout
    assert re.search(r'Figure\s*\(\s*"fig-cell"', native)  # the raw table's cell
    # The listing's caption: its linked image is a figure there.
    assert re.search(r'"lst-a".*?\(Caption\s*Nothing\s*\[\s*Figure\s*\(\s*""', native, re.S)


FIG_ALTS = """\
![Implicit](h.png){fig-alt="implicit alt"}

[![Linked alone](r.png){fig-alt="linked alt"}](https://example.org)

::: {#fig-wrap}
![Wrapped](i.png){fig-alt="wrapped alt"}

Wrap caption with ![cap img](j.png){fig-alt="cap alt"}.
:::

::: {#fig-pair}
![P1](k.png){#fig-p1 fig-alt="p1 alt"} ![P2](l.png){#fig-p2}

Pair caption.
:::

| T |
|---|
| ![in table](m.png){fig-alt="table alt"} |

: Alt table {#tbl-alt}

::: plain
Not a float ![free](n.png){fig-alt="free alt"} here.
:::

```{=html}
<table><tr><td><img src="q.png" id="fig-rawcell" fig-alt="rawcell alt"></td></tr></table>
```

```{#lst-alt lst-cap="[![In cap](p.png){fig-alt='lst alt'}](https://x.org)"}
y = 3
```

```{#lst-alt2 lst-cap="Text ![img](s.png){fig-alt='inline cap alt'} more"}
z = 4
```
"""


def images(node: object, in_figure: bool = False) -> list[tuple[bool, str, dict[str, str]]]:
    """Each image of pandoc's JSON: whether a figure holds it, its description, attributes."""
    found = []
    if isinstance(node, dict):
        if node.get("t") == "Image":
            (_, _, attributes), caption, _ = node["c"]
            words = [part.get("c", " ") for part in caption]
            found.append((in_figure, "".join(words), dict(attributes)))
        in_figure = in_figure or node.get("t") == "Figure"
        for value in node.values():
            found += images(value, in_figure)
    elif isinstance(node, list):
        for value in node:
            found += images(value, in_figure)
    return found


def test_fig_alt_describes_the_image_of_every_figure_however_it_was_made() -> None:
    document = json.loads(pandoc(FIG_ALTS, "json", ["floats.lua"]).stdout)
    found = images(document["blocks"])
    alts = re.findall(r"fig-alt=[\"']([^\"']+)", FIG_ALTS)
    assert sorted(text for _, text, _ in found if text in alts) == sorted(set(alts) - {"free alt"})
    for in_figure, _, attributes in found:
        assert ("fig-alt" in attributes) == (not in_figure)  # only the free image keeps it


@pytest.mark.parametrize(
    "layout",
    [
        "::: {#refs}\n:::\n\n::: {#extra__refs}\n:::\n",  # both at the top level
        "::: {#refs}\n:::\n\n::: {.box}\n::: {#extra__refs}\n:::\n:::\n",  # one nested
    ],
)
def test_bibliography_fills_every_refs_div_at_the_top_level_or_inside_another(
    layout: str, tmp_path: Path
) -> None:
    markdown = f"---\n{REFERENCES}---\n\nAs @smith2020 shows.\n\n{layout}"
    env = {"GALLEY_CITATIONS": str(tmp_path)}
    native = pandoc(markdown, "native", ["citations.lua"], env).stdout
    assert native.count('"ref-smith2020"') == 2


def test_link_to_an_anchor_only_the_metadata_has_is_no_missing_anchor() -> None:
    markdown = (
        "---\nabstract: 'An [anchor]{#in-abstract} here.'\n---\n\n"
        "To [the abstract](#in-abstract) and [nowhere](#nowhere), [again](#nowhere).\n"
    )
    result = pandoc(markdown, "typst", ["anchors.lua"])
    assert re.findall(r"galley-missing-anchor\t(\S+)", result.stderr) == ["nowhere"]
    assert "#link(<in-abstract>)" in result.stdout and "<nowhere>" not in result.stdout


def test_html_wraps_inline_and_unnumbered_display_math_once_beside_a_numbered_equation() -> None:
    markdown = "Inline $a$ then\n\n$$\nE = mc^2\n$$ {#eq-energy}\n\nand $$b$$ unnumbered.\n"
    html = pandoc(markdown, "html", ["equations.lua"]).stdout
    # galley's span around the one pandoc's writer makes (no --mathml here)
    assert 'Inline <span class="math inline"><span class="math inline"><em>a</em>' in html
    assert 'and <span class="math display"><span class="math display"><em>b</em>' in html
    assert '<span id="eq-energy"><span class="math display"><math display="block"' in html
