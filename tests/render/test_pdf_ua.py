"""The PDF stays PDF/UA-1 (tagged for accessibility) for what authors write and Quarto renders:
every equation has its TeX as alt text unless the author gave one, and the headings nest from
level 1 with no level skipped, whatever level the author started at. Real pandoc, real Typst."""

from __future__ import annotations

from pathlib import Path

import pypdf
from pypdf.generic import DictionaryObject

from tests.conftest import galley
from tests.render.test_crossrefs import make_project

OUT = Path("_manuscript/doc")


def _build_pdf(root: Path, warned: str = "") -> pypdf.PdfReader:
    """The PDF built, PDF/UA-1, with no warning but the one `warned` (an author's slip)."""
    built = galley("build", "--to", "typst", cwd=root)
    assert built.returncode == 0, built.stderr
    warnings = [line for line in built.stderr.splitlines() if "warning" in line]
    assert warnings == ([warned] if warned else [])
    reader = pypdf.PdfReader(root / OUT / "index.pdf")
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    return reader


def _alts(reader: pypdf.PdfReader, role: str) -> list[str]:
    """The alt text of each structure element of `role` (`/Formula`, `/Figure`) in the PDF."""
    objects = [
        reader.get_object(n) for n in sorted({n for ids in reader.xref.values() for n in ids})
    ]
    return sorted(
        str(o["/Alt"])
        for o in objects
        if isinstance(o, DictionaryObject) and o.get("/S") == role and "/Alt" in o
    )


def test_every_equation_has_its_tex_as_alt_text_unless_the_author_gave_one(
    tmp_path: Path,
) -> None:
    root = make_project(
        tmp_path,
        "# One\n\nThe area $\\pi r^2$(2) and $x$[a] and $y$.b.\n\n$$a +\n  b$$\n\n"
        '$$E = mc^2$$ {#eq-e}\n\n$$F = ma$$ {#eq-f alt="Force is mass times acceleration"}\n\n'
        "See @eq-e.\n",
    )
    reader = _build_pdf(root)
    assert _alts(reader, "/Formula") == sorted(
        ["\\pi r^2", "x", "y", "a + b", "E = mc^2", "Force is mass times acceleration"]
    )
    # Text written right after the math stays text.
    text = reader.pages[0].extract_text()
    assert "(2)" in text and "[a]" in text and ".b." in text
    assert "See Equation\u00a01" in text


def test_headings_nest_from_level_1_without_a_skipped_level_in_the_pdf(tmp_path: Path) -> None:
    # Started at `##`, ending with `# References`, skipping from `###` to `#####`: Quarto
    # renders it, and Typst refuses such levels in a tagged PDF.
    root = make_project(
        tmp_path,
        "## Intro\n\nText.\n\n### Deeper\n\nText.\n\n##### Skipped\n\nText.\n\n"
        "## Next\n\nText.\n\n# References {.unnumbered}\n\nText.\n",
    )
    reader = _build_pdf(
        root,
        "galley: warning: doc/index.qmd:13: heading level 5 follows level 3, skipping a level; "
        "use #### here, or add the missing heading above [skipped-heading-level]",
    )
    outline = [
        [item.title, [[child.title, len(grand)] for child, grand in _pairs(rest)]]
        for item, rest in _pairs(reader.outline)
    ]
    # Numbers as Quarto gives them: the top heading written is `#`, so `##` is "0.1".
    assert outline == [
        ["0.1 Intro", [["0.1.1 Deeper", 1]]],
        ["0.2 Next", []],
        ["References", []],
    ]


def test_subfigures_without_fig_alt_speak_with_their_subcaptions(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        "# One\n\n::: {#fig-pair layout-ncol=2}\n\n![Left dot.](dot.svg){#fig-pair-a}\n\n"
        "![Right dot.](dot.svg){#fig-pair-b}\n\nTwo dots.\n:::\n\nSee @fig-pair-a.\n",
    )
    (root / "doc" / "dot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>', encoding="utf-8"
    )
    built = galley("build", "--to", "typst", cwd=root)
    assert built.returncode == 0, built.stderr
    # galley's own accessibility rule still asks for fig-alt; Typst does not refuse the PDF.
    assert "not PDF/UA-1" not in built.stderr
    reader = pypdf.PdfReader(root / OUT / "index.pdf")
    assert "Left dot." in _alts(reader, "/Figure") and "Right dot." in _alts(reader, "/Figure")


def _pairs(items: list[object]) -> list[tuple[pypdf.generic.Destination, list[object]]]:
    """pypdf's outline, each entry with the list of its children (pypdf puts that list right
    after the entry)."""
    pairs: list[tuple[pypdf.generic.Destination, list[object]]] = []
    for item in items:
        if isinstance(item, list):
            pairs[-1] = (pairs[-1][0], item)
        else:
            assert isinstance(item, pypdf.generic.Destination)
            pairs.append((item, []))
    return pairs
