"""Typst queries of a small document written to be asked (galley.engines.float_sizes,
galley.engines.link_targets).

A small one is asked in galley's own process: a process of its own cost about 0.03 s of CPU
(Python's start and Typst's import), on the PDF's path to its compile. A large one (a book's
hundred floats) runs in a process of its own: the memory Typst keeps for a document (its caches
live as long as the process does) then ends with that process instead of adding to galley's,
where the PDF's compile (or a long `galley preview`) comes after it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from galley.util.tools import typst_fonts, typst_module

QUERY = """
import sys, typst
sys.stdout.write(typst.query(sys.argv[1], sys.argv[2], field="value", root=sys.argv[3]))
"""
# The largest document asked in galley's process: an article's few floats or links (this
# repository's article: 9 KB). Typst's caches for such a document are a few megabytes.
IN_PROCESS_CHARACTERS = 64_000


def query_values(typ: Path, label: str, root: Path) -> list[object] | None:
    """The values of the metadata labelled `label` in the .typ, in order; None if Typst failed on
    the document. The .typ is removed afterwards: it exists only to be asked."""
    try:
        if typ.stat().st_size <= IN_PROCESS_CHARACTERS:
            answer = _query_here(typ, label, root)
        else:
            answer = _query_apart(typ, label, root)
    finally:
        typ.unlink()
    if answer is None:
        return None
    try:
        values = json.loads(answer)
    except json.JSONDecodeError:
        return None
    return values if isinstance(values, list) else None


def _query_here(typ: Path, label: str, root: Path) -> str | None:
    typst = typst_module()
    try:
        answer: str = typst.query(
            str(typ), f"<{label}>", field="value", root=str(root), font_paths=typst_fonts()
        )
    except RuntimeError:  # typst.TypstError, or a query's "failed to compile document"
        return None
    return answer


def _query_apart(typ: Path, label: str, root: Path) -> str | None:
    result = subprocess.run(
        [sys.executable, "-c", QUERY, str(typ), f"<{label}>", str(root)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    return result.stdout if result.returncode == 0 else None
