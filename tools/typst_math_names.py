"""Find the math symbol names pandoc's Typst writer emits that the installed Typst does not know
(or has deprecated), and print the table `typst-math.lua` maps them with.

    PYTHONPATH=src python tools/typst_math_names.py

Pandoc writes a math symbol by its name in texmath's table (`\\cap` -> `sect`), which follows
an older Typst; Typst 0.14 and 0.15 renamed some (`sect` -> `inter`, `times.circle` ->
`times.o`) and dropped others. Every character pandoc could name (printable ASCII, U+00A0 to
U+2FFF, presentation forms, mathematical alphanumerics) is written by pandoc, each name is
compiled with the `typst` module, and each name Typst refuses or warns about is mapped to
Typst's own name for the same character, or to the character itself when Typst has no name.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from pathlib import Path

import typst

from galley.util.tools import pandoc_path

RANGES = ((0x21, 0x7F), (0xA0, 0x3000), (0xFB00, 0xFB07), (0x1D400, 0x1D800))
NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*")
STRING = r'"((?:[^"\\]|\\.)*)"'
# Every symbol in Typst's `sym` module, with its variants, as Typst shows them.
SYMBOLS = """#let out = (:)
#for (k, v) in dictionary(sym) { if type(v) == symbol { out.insert(k, repr(v)) } }
#metadata(out) <symbols>
"""


def pandoc_names() -> dict[str, str]:
    """Character -> the name pandoc's Typst writer gives it in math."""
    chars = [chr(c) for start, end in RANGES for c in range(start, end)]
    math = [{"t": "Para", "c": [{"t": "Math", "c": [{"t": "InlineMath"}, c]}]} for c in chars]
    document = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": math}
    written = subprocess.run(
        [pandoc_path(), "--from", "json", "--to", "typst"],
        input=json.dumps(document), capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    names = {}
    for char, paragraph in zip(chars, written.split("\n\n"), strict=True):
        body = paragraph.strip().removeprefix("$").removesuffix("$").strip()
        if body != char and NAME.fullmatch(body):
            names[char] = body
    return names


def _unescaped(text: str) -> str:
    """A Typst string literal's content as text (`\\u{2229}`, `\\"`)."""
    text = re.sub(r"\\u\{([0-9a-fA-F]+)\}", lambda m: chr(int(m[1], 16)), text)
    return re.sub(r"\\(.)", r"\1", text)


def typst_names(folder: Path) -> dict[str, list[str]]:
    """Character -> Typst's names for it."""
    source = folder / "symbols.typ"
    source.write_text(SYMBOLS, encoding="utf-8")
    found = json.loads(typst.query(str(source), "<symbols>", field="value", one=True))
    by_char: dict[str, list[str]] = {}
    for name, shown in found.items():
        first = re.match(r"symbol\(\s*" + STRING, shown)
        if first:
            by_char.setdefault(_unescaped(first[1]), []).append(name)
        for modifiers, char in re.findall(r"\(\s*" + STRING + r",\s*" + STRING, shown):
            by_char.setdefault(_unescaped(char), []).append(f"{name}.{modifiers}")
    return by_char


def refused(name: str, folder: Path) -> bool:
    """Whether Typst fails on, or warns about, `name` in math."""
    source = folder / "name.typ"
    source.write_text(f"${name}$\n", encoding="utf-8")
    try:
        _, warnings = typst.compile_with_warnings(str(source))
    except RuntimeError:
        return True
    return bool(warnings)


def replacement(old: str, char: str, by_char: dict[str, list[str]], folder: Path) -> str:
    """Typst's name for `char`, the one sharing most of `old`'s start; else `char` itself."""
    usable = [n for n in by_char.get(char, []) if not refused(n, folder)]
    if not usable:
        return char
    parts = old.split(".")

    def shared(name: str) -> int:
        new = name.split(".")
        return next((i for i in range(min(len(parts), len(new))) if parts[i] != new[i]), 9)

    return max(usable, key=lambda n: (shared(n), -len(n)))


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        by_char = typst_names(folder)
        mapping = {
            name: replacement(name, char, by_char, folder)
            for char, name in pandoc_names().items()
            if refused(name, folder)
        }
    for old, new in sorted(mapping.items()):
        print(f"  [{json.dumps(old)}] = {json.dumps(new, ensure_ascii=False)},")


if __name__ == "__main__":
    main()
