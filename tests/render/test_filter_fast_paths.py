"""The Lua filters' shortcuts for book-sized documents change no output: equations.lua leaves a
paragraph without display math as pandoc read it, external-links.lua touches no format but HTML.
Real pandoc runs each filter on small documents, with and without the case the shortcut skips."""

from __future__ import annotations

import os
import subprocess

import pytest

from galley.engines.pandoc import RESOURCES
from galley.util.tools import pandoc_path

TEXT = "Some *text* with a [link](https://example.org), 'quotes' and $x^2$ inline.\n"
EQUATION = "$$\nE = mc^2\n$$ {#eq-energy}\n"


def pandoc(markdown: str, to: str, filters: list[str]) -> bytes:
    command = [pandoc_path(), "--from", "markdown", "--to", to, "--wrap=none", "-o", "-"]
    for name in filters:
        command += ["--lua-filter", str(RESOURCES / name)]
    # A fixed date: two DOCX runs are then byte for byte alike.
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    return subprocess.run(
        command, input=markdown.encode(), capture_output=True, env=env, check=True
    ).stdout


@pytest.mark.parametrize("to", ["typst", "native"])
def test_document_without_display_math_is_unchanged_by_equations_filter(to: str) -> None:
    assert pandoc(TEXT, to, ["equations.lua"]) == pandoc(TEXT, to, [])


@pytest.mark.parametrize("to", ["html", "typst"])
def test_paragraph_beside_a_numbered_equation_comes_out_as_without_it(to: str) -> None:
    alone = pandoc(TEXT, to, ["equations.lua"])
    beside_equation = pandoc(TEXT + "\n" + EQUATION, to, ["equations.lua"])
    assert beside_equation.startswith(alone.rstrip(b"\n"))
    assert b"eq-energy" in beside_equation


@pytest.mark.parametrize("to", ["typst", "docx", "native"])
def test_external_links_filter_changes_nothing_outside_html(to: str) -> None:
    assert pandoc(TEXT, to, ["external-links.lua"]) == pandoc(TEXT, to, [])


def test_external_links_get_noopener_in_html() -> None:
    html = pandoc(TEXT, "html", ["external-links.lua"])
    assert b'href="https://example.org" rel="noopener noreferrer"' in html
