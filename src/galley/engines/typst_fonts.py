"""Text the PDF cannot show: a character no installed font has (Chinese, Japanese or Korean text
on a machine without a CJK font, say). Typst would draw empty boxes in its place; when it writes
a tagged PDF (PDF/UA-1) it refuses instead, naming the character, and galley turns that into an
error that says where the character is and which font to install.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from galley.engines.setting_origin import file_lines
from galley.errors import GalleyError
from galley.project import Project
from galley.reading.sources import Source

# Typst's PDF/UA-1 refusal of a glyph: "the text `"中"` could not be displayed with font `"…"`".
MISSING_GLYPH = re.compile(r'the text `"(.+?)"` could not be displayed with font `"(.+?)"`')
# The first word of a character's Unicode name -> the script, as an author would name it.
SCRIPTS = {
    "CJK": "Chinese/Japanese (CJK)",
    "HANGUL": "Korean (Hangul)",
    "HIRAGANA": "Japanese (Hiragana)",
    "KATAKANA": "Japanese (Katakana)",
    "BOPOMOFO": "Chinese (Bopomofo)",
}
# Debian's package of Noto fonts for each: CJK in one package, most other scripts in another.
CJK_PACKAGE = "fonts-noto-cjk"
OTHER_PACKAGE = "fonts-noto-core"


def missing_glyph_error(
    project: Project, source: Source, typst_error: str, bibliographies: tuple[Path, ...]
) -> GalleyError | None:
    """The error for a character Typst refused for want of a font, or None for another error."""
    match = MISSING_GLYPH.search(typst_error)
    if match is None:
        return None
    text, font = match.groups()
    char = text[0]
    first_word = unicodedata.name(char, "").split(" ")[0]
    script = SCRIPTS.get(first_word, first_word.title() or "this")
    package = CJK_PACKAGE if first_word in SCRIPTS else OTHER_PACKAGE
    path, line = _where(project, source, char, bibliographies)
    return GalleyError(
        f"the PDF cannot show `{char}` (U+{ord(char):04X}, {script} script): neither its font "
        f"({font}) nor any installed font has it; install a font for that script (Debian or "
        f"Ubuntu: `apt install {package}`) or name one that has it with `mainfont:` in the front "
        "matter, then build again",
        path=path,
        line=line,
    )


def _where(
    project: Project, source: Source, char: str, bibliographies: tuple[Path, ...]
) -> tuple[str, int | None]:
    """The first place the character is written: the body (through includes), the article's
    front matter, a bibliography; or the article."""
    for index, body_line in enumerate(source.body.split("\n")):
        if char in body_line:
            origin = source.origin(index)
            return project.rel(origin.path), origin.line
    for path in (project.article, *bibliographies):
        for number, file_line in enumerate(file_lines(path), start=1):
            if char in file_line:
                return project.rel(path), number
    return project.rel(project.article), None
