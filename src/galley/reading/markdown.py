"""Markdown as the checkers see it: code, comments and front matter blanked out, positions kept.

Masking replaces every character of a region that is not prose (YAML front matter, fenced and
indented code blocks, inline code, HTML comments, backslash escapes) by a space, so offsets,
lines and columns in the masked text are those of the source.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
LIST_ITEM = re.compile(r"^\s*(?:[-+*]|\d+[.)])\s")
# Inline code, HTML comments, escapes and math, leftmost first as pandoc reads them. A code span
# never crosses a blank line; an unmatched backtick run is literal text.
CITE = r"(?<![\w\\@])@(?:\{[^{}\n]+\}|\w(?:\w|[:.#$%&+?<>~/-](?=\w)|[:/](?=/))*)"
INLINE = re.compile(
    # Every alternative starts with one of these characters: the lookahead lets the scan pass
    # over plain text at once (four times faster over a long book than trying each alternative).
    r"(?=[@<`\\~^$])(?:"
    # A citation key is read whole first, as pandoc does: the `$` of `@a$a` is part of it.
    rf"(?P<cite>{CITE})"
    # A comment ends at the first `-->`; one start that finds none reads only up to the next
    # `<!--`, so that a line of unclosed comments is read once, not once per start.
    r"|<!--(?:(?!<!--).)*?-->"
    # Raw HTML, which pandoc passes through: tags with their attributes, `<?...>`, `<!X...>`.
    r"|<[A-Za-z][A-Za-z0-9-]*"
    r"(?:\s+[A-Za-z_:][\w:.-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*\s*/?>"
    # A closing tag is taken whole up to `>`, whatever stands after its name (as pandoc does).
    r"|</[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?>"
    r"|<[?!][A-Za-z][^<>]*>"
    r"|(?<!`)(?P<ticks>`+)(?:(?!\n[ \t]*\n)[\s\S])*?(?<!`)(?P=ticks)(?!`)"
    r"|\\[^\s]"
    # Subscript `~x~` and superscript `^x^` (no space inside; `~~` is an empty one when it opens
    # no strikeout): their text is read on its own, so the `$` of `~$~` opens no math that would
    # swallow a citation after it.
    r"|(?P<script>~(?:\\\S|[^\s~\\])*~|\^(?:\\\S|[^\s^\\])*\^)"
    # TeX math, as pandoc reads it: `$x$` (no space inside either dollar, no digit after the
    # closing one) and `$$x$$`; a citation inside is math, not a citation.
    r"|\$\$(?:(?!\n[ \t]*\n)[\s\S])+?\$\$"
    r"|\$(?=[^\s$])(?:[^$\\\n]|\\.|\n(?![ \t]*\n))+?(?<=[^\s\\])\$(?!\d))",
    re.DOTALL,
)


@dataclass(frozen=True)
class CodeBlock:
    """A fenced code block: its info string (`{python}`, `r`, `{=html}`…) and its lines."""

    info: str
    first_line: int  # 1-based line of the first content line
    lines: tuple[str, ...]

    @property
    def executable(self) -> bool:
        return self.info.strip().startswith("{") and not self.info.strip().startswith("{=")


@dataclass(frozen=True)
class Masked:
    text: str
    code_blocks: tuple[CodeBlock, ...]
    front_matter: str  # the YAML between the `---` lines, or ""


class LineIndex:
    """Offsets to 1-based (line, column) in one text."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


def blank(text: str) -> str:
    """Spaces for every character but newlines, which are kept so lines stay where they were.
    Built from the line lengths: a substitution per character took most of a long book's mask."""
    return "\n".join(" " * len(part) for part in text.split("\n"))


def front_matter_end(lines: list[str]) -> int:
    """The index of the closing `---` of a leading YAML block, or 0 when there is none."""
    if not lines or lines[0].rstrip() != "---":
        return 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return index
    return 0


def _mask_blocks(lines: list[str], start: int) -> tuple[list[str], list[CodeBlock]]:
    out = list(lines)
    blocks: list[CodeBlock] = []
    index = start
    previous_blank, in_list = True, False
    paragraph = index  # the first line of the current paragraph
    while index < len(lines):
        line = lines[index]
        fence = FENCE.match(line)
        if fence and _closes_code_span(lines[paragraph:index], fence["fence"], fence["info"]):
            fence = None
        if fence and not (fence["fence"][0] == "`" and "`" in fence["info"]):
            char, size = fence["fence"][0], len(fence["fence"])
            closing = re.compile(rf"^ {{0,3}}{re.escape(char)}{{{size},}}\s*$")
            end = index + 1
            while end < len(lines) and not closing.match(lines[end]):
                end += 1
            blocks.append(
                CodeBlock(fence["info"].strip(), index + 2, tuple(lines[index + 1 : end]))
            )
            for masked in range(index, min(end + 1, len(lines))):
                out[masked] = blank(lines[masked])
            index, previous_blank = end + 1, False
            continue
        is_blank = not line.strip()
        if not is_blank and not line.startswith(("    ", "\t")):
            in_list = bool(LIST_ITEM.match(line)) or (in_list and not previous_blank)
        if not is_blank and line.startswith(("    ", "\t")) and previous_blank and not in_list:
            # An indented code block: runs until a non-blank line that is not indented.
            while index < len(lines) and (
                not lines[index].strip() or lines[index].startswith(("    ", "\t"))
            ):
                out[index] = blank(lines[index])
                index += 1
            previous_blank = True
            continue
        previous_blank = is_blank
        index += 1
        if is_blank:
            paragraph = index
    return out, blocks


def _closes_code_span(paragraph: list[str], fence: str, info: str) -> bool:
    """Whether a fence-like line ends a code span the paragraph above opened: pandoc reads the
    paragraph's inlines first, so "text ```\n@x\n```" is one code span, not a code block."""
    if not paragraph or fence[0] != "`" or info.strip():
        return False
    opened = None
    for run in re.findall(r"(?<![`\\])`+", "\n".join(paragraph)):
        opened = run if opened is None else (None if run == opened else opened)
    return opened == fence


# Pandoc's example-list markers, `(@)`, `(@label)`, `@label.`, `@label)`, open a list item when
# they start a block (or follow another item): `@a. text` there is a list, not a citation.
EXAMPLE_MARKER = re.compile(r"^ {0,3}(?:\(@[\w-]*\)|@[\w-]*[.)])(?=[ \t]|$)")


def _mask_example_markers(lines: list[str]) -> tuple[list[str], set[str]]:
    """The lines with example-list markers blanked, and the markers' labels."""
    lines = list(lines)
    labels = set()
    previous = ""  # blank: a block may start here
    in_list = False
    for index, line in enumerate(lines):
        marker = EXAMPLE_MARKER.match(line)
        if marker and (not previous.strip() or in_list):
            lines[index] = blank(marker[0]) + line[marker.end() :]
            labels.add(marker[0].strip().strip("(@.)"))
            in_list = True
        elif line.strip() and not line.startswith((" ", "\t")):
            in_list = False
        previous = line
    return lines, labels - {""}


# A bracketed citation: `[...]` without brackets inside, and not a link's text.
BRACKETED = re.compile(r"\[[^\[\]]*\](?![(\[])")


def _mask_example_references(text: str, labels: set[str]) -> str:
    """Pandoc reads an in-text `@label` (or `@{label}`) naming an example-list item anywhere in
    the document as that example's number, not a citation; inside brackets it still cites."""
    brackets = [m.span() for m in BRACKETED.finditer(text)]
    starts = [start for start, _ in brackets]

    def replace(match: re.Match[str]) -> str:
        key = match[0][2:-1] if match[0].startswith("@{") else match[0][1:]
        inside = bisect.bisect_right(starts, match.start()) - 1
        if key not in labels or (inside >= 0 and match.start() < brackets[inside][1]):
            return match[0]
        return blank(match[0])

    return re.sub(CITE, replace, text)


def _mask_inline(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match["cite"]:
            return match[0]
        if match["script"]:
            return " " + _mask_inline(match[0][1:-1]) + " "
        return blank(match[0])

    return INLINE.sub(replace, text)


def mask(text: str) -> Masked:
    lines = text.split("\n")
    end = front_matter_end(lines)
    front_matter = "\n".join(lines[1:end]) if end else ""
    for index in range(end + 1 if end else 0):
        lines[index] = blank(lines[index])
    lines, blocks = _mask_blocks(lines, end + 1 if end else 0)
    lines, labels = _mask_example_markers(lines)
    masked = _mask_inline("\n".join(lines))
    if labels:
        masked = _mask_example_references(masked, labels)
    return Masked(masked, tuple(blocks), front_matter)
