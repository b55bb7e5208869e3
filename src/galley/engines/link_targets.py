"""Where a large PDF's links to labels go, found by laying it out once before its compile.

In a Typst compile, a link to a label (a citation to its reference, "Section 2") or a reference
("Figure 3") asks where its target is in every layout pass, and the paragraph holding it is laid
out again in each; at book size that was a third of the PDF's memory. Past `LARGE` such links,
galley lays the document out twice instead:
1. in a process of its own when the document is large (`typst_probe`), with each of those links going nowhere (the text is
   the same, so the pages are too), asking where each target falls;
2. in the compile itself, with each link going to that place on its page, which Typst needs no
   further pass to find.
The two runs' peaks do not add up, and the PDF's pages, text and link destinations are those of
the single compile. The template's `galley-targets` and `galley-link` do the linking. If the first
pass fails for any reason, the compile finds the targets itself, as for a small document.
"""

from __future__ import annotations

import re
from pathlib import Path

from galley.engines.typst_probe import query_values
from galley.engines.typst_values import typst_string

# Links to labels and references in the .typ (counted by the label each names).
LINKS = re.compile(r"#link\(<([^<>\s]+)>\)|#ref\(<([^<>\s]+)>")
# A link to a label with no text after it: pandoc writes `[#x](#x)` so, and Typst requires the
# text of a link to a label ("missing argument: body").
BARE_LINK = re.compile(r"#link\(<([^<>\s]+)>\)(?!\[)")
# The article at 10x its size has about 550; at 30x, 1,550, and its PDF's compile peaks at 408 MB
# in one pass, 290 MB in two (and 270 MB for the first).
LARGE = 1000
TARGETS_LINE = "#let galley-targets = auto\n"
PLACES = """
#context [#metadata(GALLEY-LABELS.filter(key => query(label(key)).len() > 0).map(key => {
  let at = query(label(key)).first().location().position()
  (key, (page: at.page, x: at.x.pt(), y: at.y.pt()))
})) <galley-places>]
"""


def resolve_link_targets(typ: Path, root: Path, large: int = LARGE) -> None:
    """Write where each label's link goes into the .typ, if it has more than `large` links."""
    text = typ.read_text(encoding="utf-8")
    found = [first or second for first, second in LINKS.findall(text)]
    if len(found) <= large or TARGETS_LINE not in text:
        return
    places = _first_pass(text, sorted(set(found)), typ.with_name(typ.stem + "-targets.typ"), root)
    if places is None:
        return
    targets = "".join(
        f"{typst_string(key)}: (page: {int(at['page'])}, x: {float(at['x']):.4f}pt, "
        f"y: {float(at['y']):.4f}pt), "
        for key, at in places
    )
    typ.write_text(
        text.replace(TARGETS_LINE, f"#let galley-targets = ({targets or ':'})\n", 1),
        encoding="utf-8",
    )


def _first_pass(
    text: str, keys: list[str], probe: Path, root: Path
) -> list[tuple[str, dict[str, float]]] | None:
    labels = "(" + "".join(typst_string(key) + ", " for key in keys) + ")"
    probe.write_text(
        text.replace(TARGETS_LINE, "#let galley-targets = none\n", 1)
        + PLACES.replace("GALLEY-LABELS", labels),
        encoding="utf-8",
    )
    found = query_values(probe, "galley-places", root)
    if found is None or len(found) != 1 or not isinstance(found[0], list):
        return None
    return [(str(key), at) for key, at in found[0]]


def give_bare_links_text(typ: Path) -> None:
    """`#link(<x>)` with no text, as pandoc 3.9 writes `[#x](#x)`: given its text, `#x`."""
    text = typ.read_text(encoding="utf-8")
    if BARE_LINK.search(text):
        given = BARE_LINK.sub(lambda m: f"{m[0]}[#{typst_string('#' + m[1])}]", text)
        typ.write_text(given, encoding="utf-8")
