"""Which of the floats typst-floats.lua could not size fit on a page, measured by Typst in a small
document of their own before the PDF's compile.

Measured inside the PDF's compile, a float is laid out again in each of its layout passes; a
hundred near-page-high tables at book size cost 200 MB there. Here each is measured once, in a
document holding the template's definitions and those floats alone, and the PDF's source is
then written with each one either floated or kept in the text, as the template's `galley-float`
would have placed it. Typst measures them in galley's process, or for a book's many floats in a
process of its own (`typst_probe`). Links and references
in them keep their text (their targets are not in this document). If this document fails for any
reason, `galley-float` measures them as before. Typst's answers are kept between builds
(galley.engines.float_fits_cache).
"""

from __future__ import annotations

import re
from pathlib import Path

from galley.engines.float_fits_cache import keep_answer, kept_answers, probe_key
from galley.engines.typst_probe import query_values

# floats-render.lua writes a float it leaves to be measured as `#galley-float[` … this end.
MEASURED = re.compile(r"#galley-float\[(?P<figure>.*?)\]\n// galley-float end", re.S)
PREAMBLE_END = "// galley: the title block and the text follow"
FLOATED = "#place(auto, float: true)["
IN_TEXT = "#[#show figure: set block(breakable: true);"
PROBE = """
#show link: it => it.body
#show ref: it => [#it.supplement 00]
#show cite: it => [(Citation, 2000)]
"""


def place_measured_floats(typ: Path, root: Path) -> None:
    """Rewrite the .typ with each float left to be measured either floated or kept in the text."""
    text = typ.read_text(encoding="utf-8")
    figures = [match["figure"] for match in MEASURED.finditer(text)]
    if not figures or PREAMBLE_END not in text:
        return
    fits = _fits(
        text.split(PREAMBLE_END)[0], figures, typ.with_name(typ.stem + "-floats.typ"), root
    )
    if fits is None or len(fits) != len(figures):
        return
    answers = iter(fits)
    typ.write_text(
        MEASURED.sub(
            lambda match: (FLOATED if next(answers) else IN_TEXT) + match["figure"] + "]", text
        ),
        encoding="utf-8",
    )


def _fits(preamble: str, figures: list[str], probe: Path, root: Path) -> list[bool] | None:
    text = (
        preamble
        + PROBE
        + "".join(
            "#context [#metadata(measure(width: galley-text-area().width, ["
            + figure
            + "]).height <= galley-text-area().height) <galley-fits>]\n"
            for figure in figures
        )
    )
    key = probe_key(text, probe, root)
    kept = kept_answers(root) if key is not None else {}
    if key in kept:
        return kept[key]
    probe.write_text(text, encoding="utf-8")
    answers = query_values(probe, "galley-fits", root)
    if answers is None or not all(isinstance(answer, bool) for answer in answers):
        return None
    fits = [bool(answer) for answer in answers]
    if key is not None:
        keep_answer(root, kept, key, fits)
    return fits
