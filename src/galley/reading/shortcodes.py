"""Quarto's built-in shortcodes other than `include` and `var`: `meta`, `pagebreak` and
`placeholder`, each turned into the Markdown that stands in its place.

`{{< meta key >}}` behaves as in Quarto: the value is Markdown; `a.b` walks mappings, a number
walks a list from 1 (`authors.1`), `\\.` is a dot inside a key; an unknown key renders as a bold
`?meta:key` with a warning, so the build still shows where the value is missing.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator
from typing import Any

from galley.util import notices

# `\.` (and `\\.`, as written inside a quoted shortcode argument) is a literal dot in a key.
ESCAPED_DOT = re.compile(r"\\\\?\.")
KEY_SEPARATOR = "\0"
# Quarto's page break for each output: pandoc keeps the raw block of the format it writes.
PAGEBREAK = (
    '```{=html}\n<div style="page-break-after: always;"></div>\n```\n\n'
    '```{=openxml}\n<w:p><w:r><w:br w:type="page"/></w:r></w:p>\n```\n\n'
    "```{=typst}\n#pagebreak()\n```"
)
PLACEHOLDER_SIZE = re.compile(r"^\d{1,4}$")


def warn(message: str) -> None:
    """A problem the build survives (as Quarto does), told on stderr: `message` starts with
    `path:line: `."""
    notices.say(notices.PREFIX + message)


def meta_keys(key: str) -> list[str]:
    """`a.b\\.c.1` as the path ["a", "b.c", "1"]; quotes around the whole key are dropped."""
    if len(key) > 1 and key[0] == key[-1] and key[0] in "\"'":
        key = key[1:-1]
    return ESCAPED_DOT.sub(KEY_SEPARATOR, key).split(".")


def meta_value(meta: dict[str, Any], key: str) -> Any:
    """The value at `key` (see `meta_keys`), or None when there is none."""
    value: Any = meta
    for part in meta_keys(key):
        part = part.replace(KEY_SEPARATOR, ".")
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and 1 <= int(part) <= len(value):
            value = value[int(part) - 1]  # Quarto's lists count from 1, as Lua's do
        else:
            return None
    return value


def render_meta(meta: dict[str, Any], key: str, where: str) -> str:
    """The Markdown for `{{< meta key >}}`; `where` names its place for the warning."""
    value = meta_value(meta, key)
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    if value is None:
        warn(
            f"{where}: unknown meta key `{key}`; it renders as ?meta:{key}; set it in the front "
            "matter or _quarto.yml, or fix the key [unknown-meta]"
        )
        return f"**?meta:{key}**"
    if isinstance(value, dict | list):
        warn(
            f"{where}: meta key `{key}` is a {type(value).__name__}, not a single value; it "
            f"renders as ?invalid meta type:{key} [unknown-meta]"
        )
        return f"**?invalid meta type:{key}**"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render_placeholder(args: list[str], where: str, image: bool) -> str:
    """`{{< placeholder [width [height]] >}}`: a grey image of that size (100 by default) as a
    data URI, made here, so it works offline; as an image (`image`), or the URI alone for a
    link's target. An SVG in every format (Quarto makes a PNG for HTML and DOCX with Typst):
    all three show it."""
    sizes = [a for a in args if not a.startswith("format=")]
    if len(sizes) > 2 or not all(PLACEHOLDER_SIZE.match(s) for s in sizes):
        warn(f"{where}: placeholder takes a width and a height in pixels, not {' '.join(args)}")
        sizes = []
    width = int(sizes[0]) if sizes else 100
    height = int(sizes[1]) if len(sizes) > 1 else width
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><rect width="100%" height="100%" fill="#d9d9d9"/>'
        f'<text x="50%" y="50%" text-anchor="middle" dominant-baseline="middle" '
        f'font-family="sans-serif" font-size="{max(8, min(width, height) // 8)}" '
        f'fill="#555555">{width} × {height}</text></svg>'
    )
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    if not image:
        return uri
    # Alt text, for the tagged PDF and screen readers; the empty span after the image keeps it
    # an image, as Quarto's is, where an image alone in its paragraph would be a captioned figure.
    return f"![Placeholder image, {width} × {height}]({uri})[]{{}}"


# Where a shortcode's `{{<` and `>}}` stand, and the line breaks it cannot cross: fixed strings,
# so the scan reads each character once.
TOKEN = re.compile(r"\{\{<|>\}\}|\n")


def spans(text: str) -> Iterator[tuple[int, int, list[int]]]:
    """Each shortcode of `text` where the regular expression `\\{\\{<.*?>\\}\\}` finds one (a
    `{{<`, then the first `>}}` after it on its line): its start, its end and every `{{<` in it.
    One pass over the text, however many openers stay unclosed (each would make that regular
    expression read to the line's end again)."""
    openers: list[int] = []
    for token in TOKEN.finditer(text):
        if token[0] == "\n":
            openers = []
        elif token[0] == "{{<":
            openers.append(token.start())
        elif openers:
            yield openers[0], token.end(), openers
            openers = []


def blank_shortcodes(text: str, fill: str = " ") -> str:
    """`text` with each shortcode (see `spans`) replaced by as many `fill` characters."""
    parts, done = [], 0
    for start, end, _ in spans(text):
        parts += [text[done:start], fill * (end - start)]
        done = end
    return "".join(parts) + text[done:]


def opening(text: str) -> bool | None:
    """Whether `text` leaves a shortcode open (its last `{{<` not escaped as `{{{<` has no `>}}`
    after it): True or False, or None when it has neither a `{{<` nor a `>}}`."""
    opener = text.rfind("{{<")
    while opener > 0 and text[opener - 1] == "{":
        opener = text.rfind("{{<", 0, opener)
    closer = text.rfind(">}}")
    if opener >= 0 and closer < opener + 3:
        return True
    return False if closer >= 0 or opener >= 0 else None


def replace_shortcodes(
    line: str, pattern: re.Pattern[str], substitute: Callable[[re.Match[str]], str]
) -> str:
    """`line` with each shortcode (see `spans`) that `pattern` matches whole, from one of its
    `{{<`, replaced by `substitute(match)`, and each `{{{< x >}}}` (Quarto's escape) by the
    shortcode `{{< x >}}` itself. Linear: `pattern` (arguments without `>`) is tried only from
    a `{{<` after the span's last inner `>`, and within the span."""
    out, done = [], 0
    for start, end, openers in spans(line):
        if start > 0 and line[start - 1] == "{" and line[end : end + 1] == "}":
            out += [line[done : start - 1], line[start:end]]
            done = end + 1
            continue
        if line[end : end + 1] == "}":
            continue
        last_gt = line.rfind(">", start, end - 3)
        for opener in openers:
            if opener < last_gt or (opener > 0 and line[opener - 1] == "{"):
                continue
            match = pattern.fullmatch(line, opener, end)
            if match is not None:
                out += [line[done:opener], substitute(match)]
                done = end
                break
    return "".join(out) + line[done:]
