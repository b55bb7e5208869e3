"""Floats typst-floats.lua leaves to be measured are measured by real Typst before the PDF's
compile, in a document of their own, and written floated or kept in the text; when that document
fails, they stay for the template's `galley-float` to measure in the compile itself."""

from __future__ import annotations

from pathlib import Path

from galley.engines.float_sizes import FLOATED, IN_TEXT, PREAMBLE_END, place_measured_floats
from galley.engines.pandoc import RESOURCES

RULES = (RESOURCES / "article-rules.typ").read_text(encoding="utf-8")
# The template's own definitions of galley-text-area and galley-float, on A4 with its margins.
DEFINITIONS = RULES[
    RULES.index("#let galley-text-area") : RULES.index("\n}\n", RULES.index("#let galley-float"))
    + 3
]
PREAMBLE = '#set page(paper: "a4", margin: (x: 2.5cm, y: 2.5cm))\n' + DEFINITIONS


def measured(body: str) -> str:
    return f"#galley-float[#figure([{body}], caption: [A float])<fig-x>]\n// galley-float end\n"


def rewritten(tmp_path: Path, *floats: str) -> str:
    typ = tmp_path / "index.typ"
    typ.write_text(f"{PREAMBLE}\n{PREAMBLE_END}\nText.\n\n" + "\n".join(floats), encoding="utf-8")
    place_measured_floats(typ, tmp_path)
    assert not (tmp_path / "index-floats.typ").exists()  # the measuring document is removed
    return typ.read_text(encoding="utf-8")


def test_a_float_that_fits_floats_and_a_taller_one_stays_in_the_text(tmp_path: Path) -> None:
    short = measured("#rect(height: 200pt)")
    tall = measured("#rect(height: 900pt)")  # the A4 text area is 700 pt high
    text = rewritten(tmp_path, short, tall)
    assert "galley-float[" not in text
    assert text.index(FLOATED) < text.index(IN_TEXT)
    assert f"{FLOATED}#figure([#rect(height: 200pt)]" in text
    assert f"{IN_TEXT}#figure([#rect(height: 900pt)]" in text


def test_links_references_and_citations_in_a_float_do_not_stop_its_measuring(
    tmp_path: Path,
) -> None:
    # Their targets are elsewhere in the article, not in the measuring document.
    body = "#link(<ref-known>)[Known, 2020], #ref(<fig-other>, supplement: [Figure]), #cite(<key>)"
    assert FLOATED + "#figure([" + body in rewritten(tmp_path, measured(body))


def test_when_measuring_fails_the_float_is_left_for_the_compile_to_measure(
    tmp_path: Path,
) -> None:
    broken = measured('#image("/missing.png")')
    assert rewritten(tmp_path, broken).endswith(broken)
