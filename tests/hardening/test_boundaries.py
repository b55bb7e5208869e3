"""Nothing crosses a boundary: data values stay text in every format, outputs embed only files
inside the project (galley reads none outside it), data paths stay inside it, and every value galley writes
into Typst is escaped for its context. Each case is a hostile input in a real build."""

from __future__ import annotations

import base64
import json
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from playwright.sync_api import sync_playwright
from pypdf import PdfReader

from tests.conftest import CHROMIUM_ARGS
from tests.hardening.conftest import QUARTO, make_project, run


def _png() -> bytes:
    """A valid 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


PNG = _png()
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
def test_a_var_value_is_inert_text_in_chromium(chromium: str, var_build: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
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


OUTSIDE_CASES = {
    "image-absolute": ("![x](/etc/hostname)", "image `/etc/hostname`"),
    "image-parent": ("![x](../outside.png)", "image `../outside.png`"),
    "embed-text-file": ("![notes](../secret.txt)", "image `../secret.txt`"),
    "link-to-local-file": ("[notes](../secret.txt)", "link `../secret.txt`"),
    "file-url": ("![x](file:///etc/hostname)", "image `file:///etc/hostname`"),
    "raw-html-embed": ('<embed src="../secret.txt">', "HTML `src` `../secret.txt`"),
    "raw-html-object": ('<object data="../secret.txt"></object>', "HTML `data` `../secret.txt`"),
    "raw-css-url": (
        "<div style=\"background: url('../outside.png')\">x</div>",
        "CSS `url()` `../outside.png`",
    ),
    "symlink-inside": ("![x](figures/link.png)", "image `figures/link.png`"),
}
SECRET = "top-secret-3f9a"


def _outside_project(tmp_path: Path, markup: str) -> Path:
    (tmp_path / "outside.png").write_bytes(PNG)
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    root = make_project(
        tmp_path / "project",
        {
            "_quarto.yml": ALL_FORMATS,
            "index.qmd": f"---\ntitle: T\n---\n\nText [@a].\n\n{markup}\n",
        },
    )
    (root / "figures").mkdir()
    (root / "figures" / "link.png").symlink_to(tmp_path / "outside.png")
    return root


def _holding_outside_content(root: Path) -> list[str]:
    """The files under `root` (links not followed) that hold the outside files' content: the
    secret text, or the outside image's bytes, as they are or as base64 in a page."""
    marks = (SECRET.encode(), PNG, base64.b64encode(PNG))
    return [
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink() and any(m in path.read_bytes() for m in marks)
    ]


@pytest.mark.parametrize("name", list(OUTSIDE_CASES))
@pytest.mark.parametrize("mode", [(), ("--self-contained", "--to", "html")])
def test_a_local_reference_outside_the_project_is_never_read_only_warned_about(
    name: str, mode: tuple[str, ...], tmp_path: Path
) -> None:
    markup, named = OUTSIDE_CASES[name]
    root = _outside_project(tmp_path, markup)
    result = run("build", *mode, cwd=root)
    assert result.returncode == 0, result.stderr
    shown = (
        "it renders as a missing image" if named.startswith("image") else "it is left as written"
    )
    assert [line for line in result.stderr.splitlines() if "warning" in line] == [
        f"galley: warning: index.qmd:7: {named} lies outside the project, so galley does not "
        f"read it and {shown}; copy it into the project [outside-project]"
    ]
    assert _holding_outside_content(root) == []
    if mode:
        return  # the checker's finding does not depend on the build's mode
    with zipfile.ZipFile(root / "_manuscript" / "index.docx") as written:
        assert not [n for n in written.namelist() if n.startswith("word/media/")]
    assert len(PdfReader(root / "_manuscript" / "index.pdf").pages[0].images) == 0
    check = run("check", "--offline", "--format", "json", cwd=root)
    findings = [f for f in json.loads(check.stdout)["findings"] if f["rule"] == "outside-project"]
    assert check.returncode == 1
    assert [(f["path"], f["line"]) for f in findings] == [("index.qmd", 7)]


def test_the_projects_own_images_are_still_embedded_with_pandoc_sandboxed(tmp_path: Path) -> None:
    root = _outside_project(tmp_path, "![A figure](figures/inside.png)")
    (root / "figures" / "inside.png").write_bytes(PNG)
    result = run("build", "--self-contained", "--to", "html", cwd=root)
    assert result.returncode == 0, result.stderr
    html = (root / "_manuscript" / "self-contained" / "index.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html  # the project's own image is embedded
    result = run("build", "--to", "docx", cwd=root)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(root / "_manuscript" / "index.docx") as docx:
        assert any(name.startswith("word/media/") for name in docx.namelist())


TYPST_HOSTILE = """\
---
title: 'A "quoted" title with a \\\\ backslash'
author:
  - name: 'Jane "JJ" Doe-Wolfeschlegelsteinhausenbergerdorff Backslash\\\\ Quote" End'
  - name: Razfi Ramadhan Wolfeschlegelsteinhausenbergerdorff Senior Junior The Third Of Many
  - name: "Tick `#panic()` Author"
keywords: 'drugs, "quoted" policy, back\\\\slash'
toc: true
toc-depth: 2
papersize: letter
---

Text [@a].

# A section
"""


def test_values_written_into_typst_are_escaped_and_pdf_metadata_is_one_line(
    tmp_path: Path,
) -> None:
    quarto = ALL_FORMATS.replace("  html: default\n", "")
    root = make_project(tmp_path / "project", {"_quarto.yml": quarto, "index.qmd": TYPST_HOSTILE})
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    info = PdfReader(root / "_manuscript" / "index.pdf").metadata
    assert info is not None
    assert info.title == 'A "quoted" title with a \\ backslash'
    assert info.author == (
        'Jane "JJ" Doe-Wolfeschlegelsteinhausenbergerdorff Backslash\\\\ Quote" End, '
        "Razfi Ramadhan Wolfeschlegelsteinhausenbergerdorff Senior Junior The Third Of Many, "
        "Tick `#panic()` Author"
    )
    assert info["/Keywords"] == 'drugs, "quoted" policy, back\\\\slash'
    page = PdfReader(root / "_manuscript" / "index.pdf").pages[0].mediabox
    assert (round(float(page.width)), round(float(page.height))) == (612, 792)  # US letter
    paragraphs = [
        p.text for p in docx.Document(str(root / "_manuscript" / "index.docx")).paragraphs
    ]
    keywords = next(text for text in paragraphs if text.startswith("Keywords:"))
    assert keywords.startswith("Keywords: drugs; ")  # one keyword each, not "d; r; u; g; s"


def test_a_toc_depth_that_is_not_a_level_is_a_clear_error(tmp_path: Path) -> None:
    quarto = QUARTO.replace("html: default", "typst: default")
    article = TYPST_HOSTILE.replace("toc-depth: 2", "toc-depth: '2) #panic('")
    root = make_project(tmp_path / "project", {"_quarto.yml": quarto, "index.qmd": article})
    result = run("build", cwd=root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "galley: error: index.qmd:9: `toc-depth: 2) #panic(` is not a heading level; write a "
        "whole number from 1 to 6"
    )


def test_crossref_words_from_the_settings_are_escaped_in_the_generated_typst(
    tmp_path: Path,
) -> None:
    quarto = QUARTO.replace("html: default", "typst: default") + (
        "crossref:\n"
        "  fig-title: 'Fig \"A\" \\ ]'\n"
        "  fig-prefix: 'Fig] #panic(\"x\")'\n"
        "  title-delim: '] #panic(\"d\") ['\n"
    )
    article = '---\ntitle: T\n---\n\n![Cap](a.png){#fig-a fig-alt="alt"}\n\nSee @fig-a [@a].\n'
    root = make_project(tmp_path / "project", {"_quarto.yml": quarto, "index.qmd": article})
    (root / "a.png").write_bytes(PNG)
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    text = PdfReader(root / "_manuscript" / "index.pdf").pages[0].extract_text()
    assert "#panic(“d”)" in text or '#panic("d")' in text
    assert "#panic(“x”)" in text or '#panic("x")' in text
