"""source-notes.lua as Quarto runs it, at the `pre-ast` entry point of galley's extension.

There a pipe table's `{#tbl-x}` is still text at the end of its caption: Quarto 1.10.18 reads
Markdown with pandoc's `table_attributes` turned off (src/resources/pandoc/datadir/readqmd.lua,
line 147: `flavor.extensions["table_attributes"] = false`) and lifts the id into the table only
later (`parseTableCaption`, src/resources/filters/common/tables.lua). So these tests run the
filter with real pandoc reading `markdown-table_attributes`, which is what the filter sees in
Quarto. Quarto's filters also see a global `quarto` table; the second run defines it, as Quarto
does, to check the notebook link Quarto must not resolve (`data-noresolveinput`, read by
resolveProjectInputLinks in src/project/types/website/website-utils.ts)."""

from __future__ import annotations

import subprocess
from importlib import resources
from pathlib import Path

from galley.util.tools import pandoc_path

FILTER = resources.files("galley.engines") / "resources" / "source-notes.lua"
DOCUMENT = """\
---
galley-source-notes:
  tbl-counts:
    script: scripts/tbl_counts.py
    inputs: [{path: data/counts.csv, sha: 0123abcd}]
    notebook: ../notebooks/counts.ipynb
---

| year | n |
|------|---|
| 2020 | 3 |

: Counts by year {#tbl-counts}

| a | b |
|---|---|
| 1 | 2 |

: A table with no note {#tbl-other}
"""


def html(tmp_path: Path, inside_quarto: bool) -> str:
    filter_file = Path(str(FILTER))
    if inside_quarto:
        wrapper = tmp_path / "in-quarto.lua"
        # As _extensions/galley/source-notes.lua loads it, with Quarto's `quarto` global.
        loading = f"quarto = {{}}\nassert(loadfile({str(filter_file)!r}, 't', _ENV))()\n"
        wrapper.write_text(loading, encoding="utf-8")
        filter_file = wrapper
    return subprocess.run(
        [pandoc_path(), "--from", "markdown-table_attributes", "--to", "html", "--wrap", "none",
         "--lua-filter", str(filter_file)],
        input=DOCUMENT, capture_output=True, text=True, encoding="utf-8", check=True,
    ).stdout  # fmt: skip


def test_a_table_whose_id_is_still_caption_text_gets_its_source_note(tmp_path: Path) -> None:
    page = html(tmp_path, inside_quarto=False)
    assert "Counts by year {#tbl-counts}</caption>" in page  # the id is text, as in Quarto
    table_end = page.index("</table>")
    note = page.index('<div class="galley-source-note">')
    assert table_end < note < page.index("A table with no note")
    assert "<code>scripts/tbl_counts.py</code>" in page
    assert page.count("galley-source-note") == 1  # the other table has no note
    assert '<a href="../notebooks/counts.ipynb">notebook</a>' in page  # galley's own page


def test_inside_quarto_the_notebook_link_is_not_resolved_as_a_document(tmp_path: Path) -> None:
    page = html(tmp_path, inside_quarto=True)
    assert '<a href="../notebooks/counts.ipynb" data-noresolveinput="true">notebook</a>' in page
