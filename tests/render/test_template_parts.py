"""The Typst template's static code (article-*.typ) goes into the .typ pandoc writes, each part in
place of its `// galley: NAME` line (galley.engines.template_parts), and the author's front
matter stays text even when it reads as such a line. Real pandoc, real Typst."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pypdf

from galley.engines.pandoc import RESOURCES
from galley.engines.template_parts import PARTS, place_template_parts
from galley.util.tools import pandoc_path, typst_module
from tests.conftest import galley
from tests.render.fixtures import pdf_text, write_project

# What galley's metadata gives the template's Typst code (galley.engines.typst_values).
VALUES = {
    "galley-typst-font": '`("Libertinus Serif", )`{=typst}',
    "galley-typst-lang": '`"en"`{=typst}',
    "galley-typst-paper": '`"a5"`{=typst}',
    "galley-typst-margin": "`2.5cm`{=typst}",
}


def test_the_typ_holds_each_part_once_in_the_templates_order_and_compiles(tmp_path: Path) -> None:
    meta = tmp_path / "meta.json"
    meta.write_text(json.dumps({"title": "A title", **VALUES}), encoding="utf-8")
    typ = tmp_path / "index.typ"
    command = [pandoc_path(), "-t", "typst", "--standalone", "--metadata-file", str(meta)]
    command += ["--template", str(RESOURCES / "article.typ"), "-o", str(typ)]
    subprocess.run(command, input="Some text.\n", text=True, check=True)

    place_template_parts(typ)

    text = typ.read_text(encoding="utf-8")
    parts = [(RESOURCES / name).read_text(encoding="utf-8") for name in PARTS]
    assert [text.count(part) for part in parts] == [1] * len(PARTS)
    places = [text.index(part) for part in parts]
    assert places == sorted(places) and "// galley: article-" not in text
    pdf = tmp_path / "index.pdf"
    typst_module().compile(str(typ), output=str(pdf), root=str(tmp_path))
    assert "Some text." in pypdf.PdfReader(pdf).pages[0].extract_text()


def test_the_parts_hold_no_pandoc_variable_since_pandoc_never_reads_them() -> None:
    # `$title$` there would reach Typst as an equation, not the title.
    for name in PARTS:
        assert not re.search(r"\$[\w.-]+\$", (RESOURCES / name).read_text(encoding="utf-8")), name


def test_front_matter_written_as_a_part_line_is_text_in_the_pdf(tmp_path: Path) -> None:
    front = (
        'title: "// galley: article-rules.typ"\n'
        'subtitle: "// galley: article-blocks.typ"\n'
        'abstract: "// galley: article-running-head.typ"\n'
    )
    body = "::: {.callout-note}\nBody of the note.\n:::\n\n::: {#thm-a}\nA theorem.\n:::\n"
    root = write_project(tmp_path, front, body, formats="typst")

    result = galley("build", cwd=root)

    assert result.returncode == 0, result.stderr
    text = pdf_text(root)
    for name in PARTS:
        assert f"// galley: {name}" in text
    assert "Body of the note." in text and "Theorem 1" in text
