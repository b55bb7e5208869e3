"""A Typst query of a document written to be asked gives the document's values, in order, whether
it is small enough to be asked in galley's process or asked in a process of its own; a document
Typst cannot compile gives None; the document is removed either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from galley.engines.typst_probe import IN_PROCESS_CHARACTERS, query_values

ASKED = "#metadata(true) <answer>\n#metadata(false) <answer>\n#metadata(1 + 2) <answer>\n"
# A comment that makes the document larger than galley asks in its own process.
PADDING = "// " + "x" * IN_PROCESS_CHARACTERS + "\n"


@pytest.mark.parametrize("padding", ["", PADDING], ids=["small, in process", "large, apart"])
def test_a_query_gives_the_labelled_values_in_order_and_removes_the_document(
    tmp_path: Path, padding: str
) -> None:
    typ = tmp_path / "probe.typ"
    typ.write_text(padding + ASKED, encoding="utf-8")
    assert query_values(typ, "answer", tmp_path) == [True, False, 3]
    assert not typ.exists()


@pytest.mark.parametrize("padding", ["", PADDING], ids=["small, in process", "large, apart"])
def test_a_document_typst_cannot_compile_gives_none(tmp_path: Path, padding: str) -> None:
    typ = tmp_path / "probe.typ"
    typ.write_text(padding + '#image("/missing.png")\n' + ASKED, encoding="utf-8")
    assert query_values(typ, "answer", tmp_path) is None
    assert not typ.exists()
