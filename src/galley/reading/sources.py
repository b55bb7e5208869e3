"""The article's source text as Quarto sees it: includes expanded, shortcodes (`var`, `meta`,
`pagebreak`, `placeholder`, `lipsum`) replaced, front matter split off (with its `metadata-files`), with a
map from every line back to its file and line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from galley.errors import GalleyError
from galley.project import Project, with_metadata_files
from galley.reading.code_cells import show_code_cells
from galley.reading.front_matter import front_matter_lines, parse_front_matter, read_yaml
from galley.reading.include_paths import INCLUDE, include_problem, include_target
from galley.reading.lipsum import numbers, render_lipsum
from galley.reading.metadata import shortcode_meta
from galley.reading.shortcodes import (
    PAGEBREAK,
    opening,
    render_meta,
    render_placeholder,
    replace_shortcodes,
    warn,
)
from galley.util.textfile import read_utf8

SHORTCODE = re.compile(
    r"\{\{<\s*(?P<name>var|meta|pagebreak|placeholder|lipsum)(?P<args>(?:\s+[^\s>]+)*)\s*>\}\}"
)
META_ONLY = re.compile(r"(?<!\{)\{\{<\s*meta\s+(?P<key>[^\s>]+)\s*>\}\}(?!\})")
FENCE = re.compile(r"^\s*(?:`{3,}|~{3,})(?P<info>.*)$")
# A fenced div's opening line with attributes: `::: {#id key = value}`.
DIV_FENCE = re.compile(r"^(?P<fence>\s*:{3,}\s*\{)(?P<attrs>[^}]*)(?P<end>\}\s*)$")
NO_SHORTCODES = re.compile(r"""shortcodes\s*=\s*["']?false""")
VARIABLES_FILE = "_variables.yml"
# A `{{< var >}}` value comes from data (`_variables.yml` is often written by a data step), so it is
# text: every ASCII punctuation character is backslash-escaped (pandoc reads `\x` as a literal x for
# all of them), so that no value becomes emphasis, a link, raw HTML or Typst, an entity, a
# citation or an attribute; line breaks become spaces, so that a value stays in its paragraph.
MARKDOWN_SIGNIFICANT = re.compile(r"[!-/:-@\[-`{-~]")
LINE_BREAKS = re.compile(r"\s*[\r\n]\s*")


class Origin(NamedTuple):
    path: Path
    line: int


@dataclass(frozen=True)
class Source:
    """The expanded body (without front matter), its line origins, and the front matter."""

    body: str
    origins: tuple[Origin, ...]
    front_matter: dict[str, Any]
    files: tuple[Path, ...]
    # The first code cell Quarto would have run: galley runs none (galley.reading.code_cells).
    unrun_cell: Origin | None = None

    def origin(self, index: int) -> Origin:
        """The file and line of body line `index` (0-based)."""
        return self.origins[min(index, len(self.origins) - 1)]

    def locate(self, token: str) -> Origin | None:
        """Where `token` (such as `@fig-x`) first stands in the sources."""
        pattern = re.compile(re.escape(token) + r"(?![\w:.#$%&+?<>~/-]*\w)")
        for index, line in enumerate(self.body.split("\n")):
            if pattern.search(line):
                return self.origins[index]
        return None


def read_text(path: Path, shown: Path | str | None = None) -> str:
    return read_utf8(path, shown)


def _expand(
    path: Path, project: Project, stack: tuple[Path, ...]
) -> tuple[list[str], list[Origin], list[Path]]:
    lines: list[str] = []
    origins: list[Origin] = []
    files = [path]
    in_code = False
    for number, line in enumerate(read_text(path, project.rel(path)).split("\n"), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
        match = None if in_code else INCLUDE.match(line)
        if match is None:
            lines.append(line)
            origins.append(Origin(path, number))
            continue
        written = match["target"]
        target = include_target(written, path, project.root)
        problem = include_problem(written, target, project.root, stack)
        if problem is not None:
            raise GalleyError(
                f"{problem.message}; {problem.fix}", path=project.rel(path), line=number
            )
        sub_lines, sub_origins, sub_files = _expand(target, project, (*stack, target))
        body, body_origins, _ = _strip_front_matter(sub_lines, sub_origins)
        lines += body
        origins += body_origins
        files += sub_files
    return lines, origins, files


def _strip_front_matter(
    lines: list[str], origins: list[Origin]
) -> tuple[list[str], list[Origin], list[str]]:
    """Split a leading `---` YAML block off; return body lines, their origins, and the block."""
    span = front_matter_lines(lines)
    if span is None:
        return lines, origins, []
    start, end = span
    return lines[end + 1 :], origins[end + 1 :], lines[start:end]


def load_variables(project: Project) -> dict[str, Any]:
    path = project.root / VARIABLES_FILE
    if not path.is_file():
        return {}
    data = read_yaml(path, settings=False, root=project.root) or {}
    if not isinstance(data, dict):
        raise GalleyError("must be a YAML mapping of variable names to values", path=path)
    return data


def lookup(data: dict[str, Any], dotted: str) -> Any:
    """`a.b.c` in nested mappings, as Quarto resolves `{{< var a.b.c >}}`; None when absent."""
    value: Any = data
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def literal_text(value: str) -> str:
    """`value` as Markdown that pandoc reads back as exactly this text (on one line)."""
    return MARKDOWN_SIGNIFICANT.sub(r"\\\g<0>", LINE_BREAKS.sub(" ", value))


def _substitute(
    line: str, origin: Origin, sources: dict[str, dict[str, Any]], project: Project
) -> str:
    if "{{<" not in line:  # no shortcode, escaped or not: most lines of a long book
        return line
    where = f"{project.rel(origin.path)}:{origin.line}"

    def substitute(match: re.Match[str]) -> str:
        name, args = match["name"], match["args"].split()
        if name == "pagebreak":
            return PAGEBREAK
        if name == "placeholder":
            # In a link's target (`![caption]({{< placeholder >}})`) Quarto writes the URI alone.
            in_target = line[: match.start()].endswith(("(", '"', "'"))
            return render_placeholder(args, where, image=not in_target)
        if name == "lipsum":
            paragraphs = numbers(args, where)
            if paragraphs is None:
                warn(
                    f"{where}: lipsum takes a count (`3`), a range (`2-4`) and `random=true`, "
                    f"not `{' '.join(args)}`; it renders as written"
                )
                return match[0]
            return render_lipsum(paragraphs)
        if not args:
            raise GalleyError(
                f"`{match[0]}` names no key; write `{{{{< {name} key >}}}}`",
                path=project.rel(origin.path),
                line=origin.line,
            )
        if name == "meta":
            return render_meta(sources["meta"], args[0], where)
        key = args[0]
        value = lookup(sources[name], key)
        while isinstance(value, list) and len(value) == 1:
            value = value[0]  # as Quarto's processValue
        if value is None:
            warn(
                f"{where}: unknown var `{key}`; it renders as ?var:{key}; define it in "
                f"{VARIABLES_FILE}, or fix the name [unknown-var]"
            )
            return f"**{literal_text('?var:' + key)}**"
        if isinstance(value, dict | list):
            warn(
                f"{where}: var `{key}` is a {type(value).__name__}, not a single value; it "
                f"renders as ?invalid var type:{key} [unknown-var]"
            )
            return f"**{literal_text('?invalid var type:' + key)}**"
        return literal_text(str(value))

    return replace_shortcodes(line, SHORTCODE, substitute)


def _replace_shortcodes(
    lines: list[str], origins: list[Origin], sources: dict[str, dict[str, Any]], project: Project
) -> tuple[list[str], list[Origin]]:
    """Shortcodes replaced, except in code blocks marked `shortcodes="false"`. A shortcode may
    span lines (its lines become one) and a value may hold several (each keeps the shortcode's
    origin), so the result comes with its own origins."""
    out: list[str] = []
    out_origins: list[Origin] = []
    in_code = literal = False
    index = 0
    while index < len(lines):
        line, origin = lines[index], origins[index]
        index += 1
        fence = FENCE.match(line)
        if fence is not None:
            in_code = not in_code
            literal = in_code and bool(NO_SHORTCODES.search(fence["info"]))
        elif not literal:
            if not in_code and "{{<" in line and opening(line):
                # A `{{<` whose `>}}` is not on its line: the shortcode goes on over the next
                # lines. Only each added line is scanned, so that this stays linear.
                joined, still_open = [line], True
                while still_open and index < len(lines):
                    joined.append(" " + lines[index].lstrip())
                    index += 1
                    still_open = opening(joined[-1]) is not False
                line = "".join(joined)
            line = _substitute(line, origin, sources, project)
            line = line if in_code else _tight_attributes(line)
        parts = line.split("\n")
        out += parts
        out_origins += [origin] * len(parts)
    return out, out_origins


def _tight_attributes(line: str) -> str:
    """`::: {#id key = value}` as `::: {#id key=value}`: Quarto accepts spaces around `=` in a
    div's attributes (pandoc would not read the line as a div); quoted values are untouched."""
    match = DIV_FENCE.match(line)
    if match is None or "=" not in match["attrs"]:
        return line
    out, quote = "", ""
    for char in match["attrs"]:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "=":
            out = out.rstrip(" ")
        elif char == " " and out.endswith("="):
            continue
        out += char
    return match["fence"] + out + match["end"]


def _resolve_front_matter(value: Any, meta: dict[str, Any], where: str) -> Any:
    """`{{< meta >}}` inside front matter values (a subtitle, an `include-after-body` text),
    as Quarto resolves them."""
    if isinstance(value, str):
        return META_ONLY.sub(lambda m: render_meta(meta, m["key"], where), value)
    if isinstance(value, dict):
        return {k: _resolve_front_matter(v, meta, where) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_front_matter(v, meta, where) for v in value]
    return value


def load_source(project: Project) -> Source:
    lines, origins, files = _expand(project.article, project, (project.article,))
    body, body_origins, yaml_lines = _strip_front_matter(lines, origins)
    shown = project.rel(project.article)
    front = parse_front_matter(yaml_lines, shown, project.root)
    front = with_metadata_files(front, project.article.parent, project.root, shown)
    meta = shortcode_meta({**project.config, **front})
    front = _resolve_front_matter(front, meta, project.rel(project.article))
    body, body_origins = _replace_shortcodes(
        body, body_origins, {"var": load_variables(project), "meta": meta}, project
    )
    body, body_origins, unrun = show_code_cells(body, body_origins, (project.config, front))
    return Source("\n".join(body), tuple(body_origins), front, tuple(files), unrun)
