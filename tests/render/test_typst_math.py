"""Math symbols pandoc 3.9's Typst writer names as an older Typst did (`\\cap` -> `sect`,
`\\otimes` -> `times.circle`): Typst 0.15 refuses 45 of those names and deprecates 17, and
typst-math.lua renames every one (the list: tools/typst_math_names.py). Real pandoc, real Typst."""

from __future__ import annotations

import subprocess
from importlib import resources
from pathlib import Path

import typst

from galley.util.tools import pandoc_path
from tests.conftest import galley
from tests.render.fixtures import pdf_text, write_project

FILTER = resources.files("galley.engines") / "resources" / "typst-math.lua"
# Each character pandoc writes under a name Typst 0.15 refuses or deprecates.
RENAMED = "«»ħϏϗגש‹›₣∩⊓⊖⊗⊙⊜⊝⊨⊭⊲⊳⊴⊵⋂⋒⋪⋫⋬⋭⟕⟖⟗⟦⟧⟬⟭⟴⦃⦄⦅⦆⦜⦡⦦⦶⦷⦸⦹⧀⧁⨀⨂⨅⨙⨝⨸⩀⩄⩎⫤⫪⫫"
MARKDOWN = (
    "Sets $A \\cap B$, $V \\otimes W$, $x_\\cap$ and $\\text{sect}$.\n\n"
    "$$\n" + " ".join(RENAMED) + "\n$$\n\nInline: " + " ".join(f"${c}$" for c in RENAMED) + ".\n"
)


def typst_source(tmp_path: Path, filters: list[str]) -> Path:
    written = subprocess.run(
        [pandoc_path(), "--from", "markdown", "--to", "typst", *filters],
        input=MARKDOWN, capture_output=True, text=True, encoding="utf-8", check=True,
    ).stdout  # fmt: skip
    source = tmp_path / "math.typ"
    source.write_text(written, encoding="utf-8")
    return source


def test_every_symbol_name_typst_no_longer_knows_is_renamed(tmp_path: Path) -> None:
    plain = typst_source(tmp_path, [])
    assert "A sect B" in plain.read_text(encoding="utf-8")  # pandoc's own name, refused
    try:
        typst.compile(str(plain))
    except RuntimeError as error:
        assert "unknown variable: sect" in str(error)
    else:
        raise AssertionError("Typst accepted `sect`: the table needs regenerating")
    source = typst_source(tmp_path, ["--lua-filter", str(FILTER)])
    text = source.read_text(encoding="utf-8")
    assert "$A inter B$" in text and "$V times.o W$" in text and "$x_inter$" in text
    assert 'upright("sect")' in text  # text in math is not a name
    _, warnings = typst.compile_with_warnings(str(source))
    assert warnings == []  # no deprecated name either


def test_a_pdf_with_cap_and_otimes_is_written(tmp_path: Path) -> None:
    root = write_project(tmp_path, "title: T\n", MARKDOWN, "typst")
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    text = pdf_text(root)
    assert "∩" in text and "⊗" in text and "⫫" in text and "sect." in text
