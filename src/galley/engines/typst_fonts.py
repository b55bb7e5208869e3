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
TYPST_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]{1,6})\}")
# The control characters a double-quoted YAML string makes of a backslash and a letter, as in
# `title: "$\alpha$"` (`\a` is U+0007): the usual way one reaches a title or an abstract.
YAML_ESCAPES = {"\a": "a", "\b": "b", "\x1b": "e", "\f": "f", "\v": "v", "\0": "0"}
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
    # Typst writes a character it cannot print as an escape: `\u{7}` for U+0007.
    char = TYPST_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)[0]
    if unicodedata.category(char) == "Cc":
        return _control_character(project, char)
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


def _control_character(project: Project, char: str) -> GalleyError:
    """A control character no font draws. It comes from the front matter's YAML: in a
    double-quoted string, `\\a`, `\\b`, `\\f`, `\\v`, `\\e` and `\\0` are escapes, so
    `"$\\alpha$"` holds U+0007 followed by `lpha`."""
    letter = YAML_ESCAPES.get(char)
    escape = re.compile(r'"[^"\n]*(?<!\\)\\' + re.escape(letter)) if letter else None
    path, line = project.rel(project.article), None
    for number, file_line in enumerate(file_lines(project.article), start=1):
        if escape is not None and escape.search(file_line):
            line = number
            break
    written = f" (`\\{letter}` in a double-quoted YAML string)" if letter else ""
    return GalleyError(
        f"the PDF cannot show the control character U+{ord(char):04X}{written}; in YAML "
        "write the backslash twice (`\\\\alpha`) or quote the value with single quotes",
        path=path,
        line=line,
    )
