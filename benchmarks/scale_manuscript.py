"""A manuscript N times the size of this article, for bench_scale.py and its test.

Copy 1 is the article as it is (its five steps, its 22 references). Each further copy k is the
article's body again with its own labels (`@fig-prevalence-c2`, `#sec-methods-c2`), citing its own
copies of the 22 references (`@paris2001-c2`, with a title and DOI of their own, so that no entry
duplicates another), and with its two figures made by two steps of its own: a small script that
draws the figure's data (`series/prevalence-2.csv`) as a PNG. So N copies have N times the words,
the cited references, the figures and (nearly) the steps. The sources table summarises (and cites)
the whole bibliography, so the book has it once, as the article does: a copy refers to that table
rather than including it again, which would make the citations grow with N squared (at 30x,
20,700 citations instead of 900, and citeproc 60 s instead of 2 s). The PNGs are drawn with zlib instead of
matplotlib, which would spend a second importing per step and measure matplotlib, not galley.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.conftest import copy_project  # noqa: E402  (the same copy of the paper the tests use)

FIGURES = ("prevalence", "milestones")
# The one table made from the whole bibliography: its include, caption and label.
SOURCES_TABLE = re.compile(
    r"\{\{< include \.\./figures/tbl-sources\.md >\}\}\n\n: [^\n]*\{#tbl-sources\}\n\n"
)
LABEL = re.compile(r"(?<=[@#])((?:fig|tbl|sec)-[\w-]*\w)")
HEADING = re.compile(r"^(#+ [^{\n]*?)( \{#)", re.MULTILINE)
BIB_KEY = re.compile(r"^@\w+\{([^,\s]+),", re.MULTILINE)
ENTRY = re.compile(r"^@\w+\{.*?^\}\s*$", re.MULTILINE | re.DOTALL)
NAMES = re.compile(r"^(\s*(?:author|editor|shortauthor)\s*=\s*\{)(.*)(\},?)\s*$", re.MULTILINE)
REFERENCES = "# References {.unnumbered}"
DRAW = '''"""Draws one generated figure of the scale benchmark: a bar per value of its series."""

import os
import struct
import sys
import zlib
from pathlib import Path

WIDTH, HEIGHT = 240, 120


def chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def draw(series: str, output: str) -> None:
    values = [float(line) for line in Path(series).read_text().split()]
    top = max(values) or 1.0
    bar = WIDTH // len(values)
    rows = []
    for y in range(HEIGHT):
        row = bytearray(b"\\xff" * WIDTH)
        for i, value in enumerate(values):
            if HEIGHT - y <= value / top * (HEIGHT - 10):
                row[i * bar + 2 : (i + 1) * bar - 2] = b"\\x40" * (bar - 4)
        rows.append(b"\\x00" + bytes(row))
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 0, 0, 0, 0)
    png = b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", header)
    png += chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")
    target = Path(os.environ.get("GALLEY_OUTPUT_ROOT", ".")) / output
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(png)


if __name__ == "__main__":
    draw(sys.argv[1], sys.argv[2])
'''


def _copy_body(body: str, copy: int, keys: re.Pattern[str]) -> str:
    """The article's body as copy `copy`: its own labels, references and figures."""
    tag = f"c{copy}"
    body, tables = SOURCES_TABLE.subn("", body)
    assert tables == 1, "the article's sources table moved: update SOURCES_TABLE"
    body = HEADING.sub(rf"\1 (part {copy})\2", body)
    body = LABEL.sub(rf"\1-{tag}", body).replace(f"@tbl-sources-{tag}", "@tbl-sources")
    body = keys.sub(rf"\1-{tag}", body)
    for name in FIGURES:
        body = body.replace(f"../figures/{name}.png", f"../figures/scale/{name}-{copy}.png")
    return body


def _split_names(names: str) -> list[str]:
    """BibTeX's `A and B`, where an `and` inside braces is part of a name."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(names):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and names.startswith(" and ", index):
            parts.append(names[start:index])
            start = index + len(" and ")
    return [*parts, names[start:]]


def _renamed(names: str, copy: int) -> str:
    """Authors of their own for copy `copy`, so that citations of different copies never need
    telling apart (2001a, 2001b…), which no real book of 2,200 references would ask of citeproc."""
    renamed = []
    for name in _split_names(names):
        if name.startswith("{"):  # an organisation: {{United Nations}}
            renamed.append(f"{name[:-1]} {copy}}}")
        else:  # Family, Given
            family, comma, given = name.partition(",")
            renamed.append(f"{family}-{copy}{comma}{given}")
    return " and ".join(renamed)


def _copy_entries(bib: str, copy: int) -> str:
    entries = []
    for entry in ENTRY.findall(bib):
        entry = BIB_KEY.sub(lambda key: f"{key[0][:-1]}-c{copy},", entry, count=1)
        entry = re.sub(r"(\btitle\s*=\s*\{)", rf"\1Part {copy}: ", entry, count=1)
        entry = NAMES.sub(lambda field: field[1] + _renamed(field[2], copy) + field[3], entry)
        entry = re.sub(r"(\bdoi\s*=\s*\{[^}]*)\}", rf"\1.c{copy}}}", entry, count=1)
        entries.append(entry)
    return "\n\n".join(entries)


def _figure_step(root: Path, name: str, copy: int) -> str:
    """The figure's data and its step's script; returns the step's pyproject.toml table."""
    series = root / "series" / f"{name}-{copy}.csv"
    series.parent.mkdir(exist_ok=True)
    series.write_text("\n".join(str((copy * 7 + i * 13) % 50 + 5) for i in range(8)) + "\n")
    script = root / "scripts" / "scale" / f"{name}_{copy}.py"
    script.parent.mkdir(exist_ok=True)
    output = f"figures/scale/{name}-{copy}.png"
    script.write_text(
        f"from draw import draw\n\ndraw({series.relative_to(root).as_posix()!r}, {output!r})\n",
        encoding="utf-8",
    )
    return (
        f"\n[tool.galley.steps.{name}-{copy}]\n"
        f'script = "scripts/scale/{name}_{copy}.py"\n'
        f'inputs = ["series/{name}-{copy}.csv", "scripts/scale/draw.py"]\n'
        f'outputs = ["{output}"]\n'
    )


def generate(dest: Path, scale: int) -> Path:
    """A copy of the article at `dest`, `scale` times its size (1: the article itself)."""
    root = copy_project(dest)
    article = root / "manuscript" / "index.qmd"
    text = article.read_text(encoding="utf-8")
    body, references = text.split(REFERENCES)
    bib_path = root / "references.bib"
    bib = bib_path.read_text(encoding="utf-8")
    names = sorted(BIB_KEY.findall(bib), key=len, reverse=True)
    keys = re.compile(r"(?<=@)(" + "|".join(map(re.escape, names)) + r")(?![\w:.#$%&+?<>~/-]*\w)")
    (root / "scripts" / "scale").mkdir()
    (root / "scripts" / "scale" / "draw.py").write_text(DRAW, encoding="utf-8")
    steps, bodies, bibs = [], [body], [bib]
    for copy in range(2, scale + 1):
        bodies.append("\n" + _copy_body(body.split("\n---\n", 1)[1], copy, keys))
        bibs.append(_copy_entries(bib, copy))
        steps += [_figure_step(root, name, copy) for name in FIGURES]
    article.write_text("".join(bodies) + REFERENCES + references, encoding="utf-8")
    bib_path.write_text("\n\n".join(bibs) + "\n", encoding="utf-8")
    with (root / "pyproject.toml").open("a", encoding="utf-8") as pyproject:
        pyproject.write("".join(steps))
    return root
