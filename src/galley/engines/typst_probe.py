"""Typst queries run in a process of their own: the memory Typst keeps for a document (its caches
live as long as the process does) ends with that process, instead of staying in galley's, where
the PDF's compile (or a long `galley preview`) would add to it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

QUERY = """
import sys, typst
sys.stdout.write(typst.query(sys.argv[1], sys.argv[2], field="value", root=sys.argv[3]))
"""


def query_values(typ: Path, label: str, root: Path) -> list[object] | None:
    """The values of the metadata labelled `label` in the .typ, in order; None if Typst failed on
    the document. The .typ is removed afterwards: it exists only to be asked."""
    try:
        result = subprocess.run(
            [sys.executable, "-c", QUERY, str(typ), f"<{label}>", str(root)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
    finally:
        typ.unlink()
    if result.returncode != 0:
        return None
    try:
        values = json.loads(result.stdout)
    except json.JSONDecodeError:
        return None
    return values if isinstance(values, list) else None
