"""Tables and captions in the PDF set as a typesetter sets them: cell text ragged-right and never
hyphenated, captions flush left (not justified with a centred last line); and this paper's
generated tables give each column a width that suits what it holds."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pypdf

from tests.conftest import galley
from tests.render.fixtures import write_project

# Words Typst's English hyphenation would break in a narrow column.
LONG_WORDS = "internationalisation counterintelligence institutionalisation"
# Longer than 72 columns, so pandoc takes the widths from the dashes: a narrow first column.
TABLE = f"""
| Narrow | Wide |
|:-----|:-----------------------------------------------------------------|
| {LONG_WORDS} {LONG_WORDS} | a wide column with a few words of text in it, long enough to wrap |

: A caption long enough to take two lines in the PDF, so that how its lines are set shows:
the first line full and the last line short, which Typst would centre if the caption were
left to its defaults, while a journal sets it flush left. {{#tbl-narrow}}
"""


def _pdf(tmp_path: Path) -> pypdf.PdfReader:
    root = write_project(tmp_path, "title: Tables\n", TABLE, formats="typst")
    result = galley("build", cwd=root)
    assert result.returncode == 0, result.stderr
    return pypdf.PdfReader(root / "_manuscript" / "doc" / "index.pdf")


def _lines(page: pypdf.PageObject, size: float) -> dict[float, float]:
    """For text drawn at `size` points: each line's height on the page -> its left edge."""
    starts: dict[float, float] = {}

    def visit(text: str, cm: Any, tm: Any, font: Any, font_size: Any) -> None:
        scale = tm[0] * cm[0]
        if not text.strip() or abs(font_size * scale - size) > 0.2:
            return
        x, y = tm[4] * cm[0] + cm[4], round(tm[5] * cm[3] + cm[5], 1)
        starts[y] = min(starts.get(y, x), x)

    page.extract_text(visitor_text=visit)
    return starts


def test_cell_words_are_never_hyphenated_and_captions_are_flush_left(tmp_path: Path) -> None:
    page = _pdf(tmp_path).pages[0]
    text = page.extract_text()
    for word in LONG_WORDS.split():
        assert text.count(word) == 2, (word, text)  # whole, each time: none was broken
    assert not re.search(r"[a-z]-\n", text)
    caption = _lines(page, 9.5)
    assert len(caption) >= 2, caption  # the caption takes two lines or more
    assert max(caption.values()) - min(caption.values()) < 0.5, caption  # all flush left


def test_the_papers_tables_give_the_long_column_the_width(built_project: Path) -> None:
    """Table 1's cited works and Table 2's wording take most of the width; no column is squeezed
    beside a wide one that stands empty (the HTML's column widths, as pandoc read them)."""
    html = (built_project / "_manuscript/manuscript/index.html").read_text(encoding="utf-8")
    for label, widest in (("tbl-sources", 3), ("tbl-activities", 2)):
        table = html[html.index(f'id="{label}"') :].split("</table>")[0]
        widths = [float(w) for w in re.findall(r'<col style="width: ([\d.]+)%"', table)]
        assert widths.index(max(widths)) == widest, (label, widths)
        text_columns = [w for i, w in enumerate(widths) if i in (0, widest)]
        assert min(text_columns) >= 15, (label, widths)


def test_the_docx_keeps_each_columns_alignment(built_project: Path) -> None:
    """Numbers right, text left, in Word as in the PDF: the float around the table does not
    centre the table's cells."""
    with zipfile.ZipFile(built_project / "_manuscript/manuscript/index.docx") as docx:
        document = docx.read("word/document.xml").decode("utf-8")
    table = document[document.index('w:name="tbl-sources"') :].split("</w:tbl>")[0]
    cells = re.findall(r"<w:tc>.*?</w:tc>", table, re.S)
    aligns = [re.findall(r'<w:jc w:val="(\w+)"', cell) for cell in cells]
    texts = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", cell)) for cell in cells]
    assert aligns[texts.index("Works")] == ["right"]
    assert aligns[texts.index("14%")] == ["right"]
    assert aligns[texts.index("Journal article")] == ["left"]
