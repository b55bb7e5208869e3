"""The DOCX reference list has APA 7's hanging indent."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.hardening.conftest import QUARTO, run


def test_docx_reference_list_has_a_half_inch_hanging_indent(tiny: Callable[..., Path]) -> None:
    root = tiny({"_quarto.yml": QUARTO.replace("html: default", "docx: default")})
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(root / "_manuscript/index.docx") as docx:
        styles = docx.read("word/styles.xml").decode()
        document = docx.read("word/document.xml").decode()
    [style] = re.findall(r'<w:style\b[^>]*w:styleId="Bibliography".*?</w:style>', styles, re.S)
    assert re.search(r'<w:pPr>.*<w:ind w:left="720" w:hanging="720"/>.*</w:pPr>', style, re.S)
    assert re.search(r'<w:pStyle w:val="Bibliography" />.*Doe, Jane', document)
