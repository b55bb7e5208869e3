"""A stand-in for `quarto`, for tests on machines where Quarto cannot be installed.

It models only what galley relies on, each behaviour as Quarto 1.10 shows it (the sources are
named at each function): which files a project renders, the output folder emptied by every
render, one format per `--to`, every format without it, profiles, extensions' filters and
metadata files, images copied beside the outputs. The files it writes are real (pandoc's HTML and
DOCX, a Typst PDF) but are not Quarto's: tests check where files land and what galley's filters
add, never Quarto's own markup.

Usage: quarto --version | quarto render [DIR] [--to FORMAT] [--profile NAME]
Each call is appended to the file named by $QUARTO_LOG, when set.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pypandoc
import yaml

from galley.engines.pandoc import RESOURCES

VERSION = "1.10.18"
DOCUMENT_SUFFIXES = (".qmd", ".ipynb", ".md", ".Rmd")
EXTENSIONS = {"html": ".html", "docx": ".docx", "typst": ".pdf"}
INCLUDE = re.compile(r"^\{\{<\s*include\s+(\S+)\s*>\}\}\s*$", re.MULTILINE)
VAR = re.compile(r"\{\{<\s*var\s+([\w.-]+)\s*>\}\}")
IMAGE = re.compile(r"\]\(([^)\s]+\.(?:png|svg|jpe?g|gif|webp))[\s)]", re.I)
# Settings that configure Quarto itself, not the document's metadata.
QUARTO_KEYS = ("project", "manuscript", "format", "filters", "metadata-files")
# The PDF's body only: pandoc's own Typst template breaks on this article's keywords (a list
# with spaces), and the title block is not what the tests look at.
# Quarto reads Markdown without pandoc's `table_attributes` (src/resources/pandoc/datadir/
# readqmd.lua), so a pipe table's `{#tbl-x}` is caption text for the pre-ast filters; its
# `table_captions` filter lifts it into the table's id after them (parseTableCaption,
# src/resources/filters/common/tables.lua: from the first Str starting with "{" to the end).
READER = "markdown-table_attributes"
TABLE_CAPTIONS = """
function Table(tbl)
  local caption = tbl.caption
  local last = caption.long[#caption.long]
  if last == nil or last.content == nil then return nil end
  local inlines = last.content
  for i = 1, #inlines do
    if inlines[i].t == 'Str' and inlines[i].text:sub(1, 1) == '{' then
      local attr = pandoc.utils.stringify(pandoc.Inlines({ table.unpack(inlines, i) }))
      local id = attr:match('^{#([^%s}]+)[^}]*}%s*$')
      if not id then return nil end
      for _ = #inlines, i, -1 do inlines:remove(#inlines) end
      while #inlines > 0 and inlines[#inlines].t == 'Space' do inlines:remove(#inlines) end
      caption.long[#caption.long] = pandoc.Plain(inlines)
      tbl.caption, tbl.identifier = caption, id
      return tbl
    end
  end
end
"""
# An extension's filter runs as Quarto runs it: in an environment of its own whose
# PANDOC_SCRIPT_FILE is its path (src/resources/filters/common/wrapped-filter.lua), with the
# global `quarto` module every Quarto filter sees (src/resources/pandoc/datadir/init.lua).
EXTENSION_FILTER = """
quarto = { version = '%s' }
local path = %s
local env = setmetatable({ PANDOC_SCRIPT_FILE = path }, { __index = _G })
local returned = assert(loadfile(path, 't', env))()
if returned ~= nil then return returned end
local filter = {}
for name, value in pairs(env) do
  if type(value) == 'function' then filter[name] = value end
end
return { filter }
"""
# Quarto's resolveProjectInputLinks (src/project/types/website/website-utils.ts), on the HTML:
# a relative link to a document (engineValidExtensions, src/execute/) that is neither in the
# project nor in the output folder warns; `data-noresolveinput` skips it and is removed.
LINK = re.compile(r'<a\b(?P<before>[^>]*?)\shref="(?P<href>[^"]*)"(?P<after>[^>]*)>')
NO_RESOLVE = re.compile(r'\sdata-noresolveinput="[^"]*"')
DOCUMENT_LINK_SUFFIXES = (".ipynb", ".py", ".jl", ".r", ".q", ".qmd", ".md", ".markdown", ".rmd")
TYPST_TEMPLATE = """$body$
$if(citations)$$if(bibliography)$
#bibliography(($for(bibliography)$"$bibliography$",$endfor$))
$endif$$endif$
"""


class QuartoError(Exception):
    pass


class NotModelled(Exception):
    """Asked for something the stand-in does not model: it stops rather than guess."""


def merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


class QuartoYamlLoader(yaml.SafeLoader):
    """YAML as Quarto reads it (quarto-cli src/core/yaml.ts, `QuartoJSONSchema`: implicit null,
    bool, int and float over plain text, read with `json: true`): YAML 1.2's core schema, so
    `yes`, `on` and `2024-01-02` are text, and a key given twice keeps its last value."""

    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}


for _tag, _pattern, _first in (
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "float",
        r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$",
        list("-+.0123456789"),
    ),
):
    QuartoYamlLoader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), _first
    )
QuartoYamlLoader.add_constructor(
    "tag:yaml.org,2002:int",
    lambda loader, node: int(node.value, 0) if node.value[:2] in ("0o", "0x") else int(node.value),
)


def read_yaml(path: Path) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), QuartoYamlLoader) or {}  # noqa: S506


def project_config(root: Path, profile: str | None) -> dict[str, Any]:
    """`_quarto.yml`, then `_quarto-<profile>.yml` merged over it (Quarto docs, "Project
    Profiles": https://quarto.org/docs/projects/profiles.html), then the files listed under
    `metadata-files:`, a missing one skipped (quarto-cli src/config/metadata.ts,
    `includedMetadata`: it reads a listed file only if it exists)."""
    config = read_yaml(root / "_quarto.yml")
    if profile and (root / f"_quarto-{profile}.yml").is_file():
        config = merged(config, read_yaml(root / f"_quarto-{profile}.yml"))
    for name in config.get("metadata-files") or []:
        if (root / name).is_file():
            config = merged(config, read_yaml(root / name))
    return config


def is_document(rel: Path) -> bool:
    """Issue 9, fact 2: every .qmd, .ipynb, .md and .Rmd, except names starting with `_` or `.`
    and anything under such folders. Also skipped, as in quarto-cli
    src/project/project-context.ts (`projectHiddenIgnoreGlob`) and src/execute/engine.ts
    (`engineIgnoreDirs`): README.md/.qmd/.Rmd and node_modules."""
    if rel.suffix not in DOCUMENT_SUFFIXES:
        return False
    if any(part.startswith(("_", ".")) or part == "node_modules" for part in rel.parts):
        return False
    return not re.fullmatch(r"README\.[Rrq]?md", rel.name)


def documents(root: Path, config: dict[str, Any]) -> list[Path]:
    """Issue 9, fact 2: `project: render:` lists the files to render; without it, every
    document below the project folder is rendered."""
    listed = (config.get("project") or {}).get("render")
    if listed:
        return [root / name for name in listed]
    output = output_dir(root, config)
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file()
        and is_document(path.relative_to(root))
        and not path.is_relative_to(output)
    )


def output_dir(root: Path, config: dict[str, Any]) -> Path:
    project = config.get("project") or {}
    default = "_manuscript" if project.get("type") == "manuscript" else "_site"
    return root / project.get("output-dir", default)


def expand(path: Path, seen: tuple[Path, ...] = ()) -> str:
    """`{{< include >}}` expanded. A file that cannot be read, as in a cycle, stops the render:
    issue 9 (the include-cycle fixture fails Quarto with `Include directive failed`), and
    quarto-cli src/core/handlers/include-standalone.ts."""
    if path in seen or not path.is_file():
        chain = "".join(f"\n  in file {p}, " for p in seen)
        raise QuartoError(f"Include directive failed.{chain}\n  could not find file {path}.")
    text = path.read_text(encoding="utf-8")
    return INCLUDE.sub(lambda m: expand((path.parent / m[1]).resolve(), (*seen, path)), text)


def with_vars(text: str, root: Path) -> str:
    variables = read_yaml(root / "_variables.yml") if (root / "_variables.yml").is_file() else {}

    def value(match: re.Match[str]) -> str:
        found: Any = variables
        for key in match[1].split("."):
            found = found.get(key) if isinstance(found, dict) else None
        return "?" if found is None else str(found)

    return VAR.sub(value, text)


def extension_filters(root: Path, config: dict[str, Any]) -> list[Path]:
    """Issue 9, fact 5: a name under `filters:` that is an extension in `_extensions/<name>/`
    runs the filters its `_extension.yml` contributes (Quarto docs, "Creating Filters")."""
    paths = []
    for entry in config.get("filters") or []:
        name = entry if isinstance(entry, str) else entry["path"]
        manifest = root / "_extensions" / name / "_extension.yml"
        if not manifest.is_file():
            paths.append(root / name)
            continue
        for contributed in read_yaml(manifest)["contributes"]["filters"]:
            file = contributed if isinstance(contributed, str) else contributed["path"]
            paths.append(manifest.parent / file)
    return paths


def metadata(doc: Path, root: Path, config: dict[str, Any], fmt: str) -> dict[str, Any]:
    """The project's settings and the format's options, paths made relative to the document."""
    formats = config.get("format") or {}
    options = formats.get(fmt) if isinstance(formats.get(fmt), dict) else {}
    meta = {k: v for k, v in merged(config, options).items() if k not in QUARTO_KEYS}
    for key in ("bibliography", "csl"):
        if isinstance(meta.get(key), str):
            meta[key] = os.path.relpath(root / meta[key], doc.parent)
    return meta


def render_document(
    doc: Path, body: str, root: Path, config: dict[str, Any], fmt: str, out: Path
) -> None:
    filters = extension_filters(root, config)
    target = out / doc.relative_to(root).with_suffix(EXTENSIONS[fmt])
    target.parent.mkdir(parents=True, exist_ok=True)
    meta = metadata(doc, root, config, fmt)
    with tempfile.TemporaryDirectory() as scratch:
        meta_file = Path(scratch) / "meta.json"
        meta_file.write_text(json.dumps(meta, default=str), encoding="utf-8")
        command = [pypandoc.get_pandoc_path(), "--from", READER, "--standalone"]
        command += ["--metadata-file", str(meta_file)]
        # Quarto runs pre-ast filters, then its own floats and cross-references (here galley's
        # filters stand in for those), then citeproc.
        for number, path in enumerate(filters):
            loader = Path(scratch) / f"extension-filter-{number}.lua"
            loader.write_text(EXTENSION_FILTER % (VERSION, json.dumps(str(path))), "utf-8")
            command += ["--lua-filter", str(loader)]
        captions = Path(scratch) / "table-captions.lua"
        captions.write_text(TABLE_CAPTIONS, encoding="utf-8")
        command += ["--lua-filter", str(captions)]
        command += ["--lua-filter", str(RESOURCES / "floats.lua")]
        command += ["--lua-filter", str(RESOURCES / "crossref.lua")]
        # Issue 9, fact 3: Typst output uses pandoc's citeproc only with `citeproc: true`.
        if meta.get("bibliography") and (fmt != "typst" or meta.get("citeproc")):
            command.append("--citeproc")
        typ = Path(scratch) / "doc.typ"
        if fmt == "typst":
            template = Path(scratch) / "template.typst"
            template.write_text(TYPST_TEMPLATE, encoding="utf-8")
            command += ["--template", str(template)]
        dest = typ if fmt == "typst" else target
        command += ["--lua-filter", str(RESOURCES / "floats-render.lua")]
        command += ["--to", "html5" if fmt == "html" else fmt, "--output", str(dest)]
        result = subprocess.run(
            command, input=body, text=True, capture_output=True, cwd=doc.parent, check=False
        )
        if result.returncode != 0:
            raise QuartoError(result.stderr)
        print_warnings(result.stderr)
        if fmt == "typst":
            import typst

            shutil.copy(typ, doc.parent / ".standin.typ")
            try:
                typst.compile(str(doc.parent / ".standin.typ"), output=str(target), root=str(root))
            except typst.TypstError as exc:
                # Quarto runs `typst compile`; when it fails, the render stops with an error
                # (exit 1), the formats rendered before it left in the output folder.
                raise QuartoError(str(exc)) from None
            finally:
                (doc.parent / ".standin.typ").unlink()
        if fmt == "html":
            resolve_links(target, doc, root, out)
    copy_images(body, doc, root, out)


def resolve_links(page: Path, doc: Path, root: Path, out: Path) -> None:
    """See LINK. Links to documents that exist (which Quarto points at their outputs) are not
    modelled: they are left as written."""
    source_dir = doc.parent.relative_to(root).as_posix()
    offset = os.path.relpath(root, doc.parent)

    def resolve(match: re.Match[str]) -> str:
        href = match["href"]
        if re.match(r"^\w+:", href):
            return match[0]
        joined = href[1:] if href.startswith("/") else f"{source_dir}/{href}"
        path, hash_mark, fragment = os.path.normpath(joined).partition("#")
        if NO_RESOLVE.search(match[0]):
            attrs = NO_RESOLVE.sub("", match["before"]), NO_RESOLVE.sub("", match["after"])
            new = f"{offset}/{path}{hash_mark}{fragment}"
            return f'<a{attrs[0]} href="{new}"{attrs[1]}>'
        if (
            not (root / path).exists()
            and Path(path).suffix in DOCUMENT_LINK_SUFFIXES
            and not (out / path).exists()
        ):
            print(f"WARN: Unable to resolve link target: {path}", file=sys.stderr)
        return match[0]

    page.write_text(LINK.sub(resolve, page.read_text(encoding="utf-8")), encoding="utf-8")


def copy_images(body: str, doc: Path, root: Path, out: Path) -> None:
    """Issue 9, fact 4: the images a document uses land in the output folder with the same
    relative layout as in the project."""
    for src in IMAGE.findall(body):
        image = (doc.parent / src).resolve()
        if image.is_file() and image.is_relative_to(root):
            dest = out / image.relative_to(root)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(image, dest)


def render(args: list[str]) -> None:
    to = profile = None
    rest = []
    while args:
        arg = args.pop(0)
        if arg == "--to":
            to = args.pop(0)
        elif arg == "--profile":
            profile = args.pop(0)
        else:
            rest.append(arg)
    if to and "," in to:
        # Issue 9, fact 1: `--to html,docx` is refused.
        raise QuartoError(f"--to takes one format, not the list `{to}`")
    root = Path(rest[0] if rest else ".").resolve()
    config = project_config(root, profile)
    # Issue 9, fact 1: every render (with or without --to) empties the output folder first.
    out = output_dir(root, config)
    shutil.rmtree(out, ignore_errors=True)
    # Issue 9, fact 1: without --to, every format under `format:` in one call.
    formats = [to] if to else list(config.get("format") or {"html": None})
    # Unlike Quarto, which stops at the first broken document after rendering those before it,
    # the stand-in reads every document first and so fails before writing anything.
    docs = documents(root, config)
    unmodelled = [doc for doc in docs if doc.suffix in (".ipynb", ".Rmd")]
    if unmodelled:
        # Quarto executes these; the stand-in would only pretend to, so it says so instead.
        raise NotModelled(f"rendering {unmodelled[0]} (a notebook) is not modelled")
    bodies = {doc: with_vars(expand(doc.resolve()), root) for doc in docs}
    for doc, body in bodies.items():
        for fmt in formats:
            render_document(doc, body, root, config, fmt, out)


def print_warnings(pandoc_stderr: str) -> None:
    """What Quarto prints of a render's warnings: pandoc's own as pandoc words them (issue 20:
    `[WARNING] Citeproc: citation X not found`), and each cross-reference to no label as
    Quarto's crossref/refs.lua warns (line 128: `warn("Unable to resolve crossref @" .. label)`;
    common/log.lua's `warn` writes `WARNING (<filter file>:<line>) <message>` in yellow,
    lunacolors' `\27[33m` … `\27[39m`, the newline inside). galley's crossref.lua stands in for
    refs.lua here and reports each on a line of its own."""
    for line in pandoc_stderr.splitlines():
        if line.startswith("[WARNING]"):
            print(line, file=sys.stderr)
        elif line.startswith("galley-unresolved-crossref\t"):
            label = line.split("\t", 1)[1]
            message = f"WARNING (crossref/refs.lua:128) Unable to resolve crossref @{label}\n"
            sys.stderr.write(f"\x1b[33m{message}\x1b[39m")


def install(bin_dir: Path, version: str = VERSION) -> Path:
    """Put an executable `quarto` running this stand-in (with this Python) into `bin_dir`; it
    reports `version` as its own, as another release of Quarto would."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    quarto = bin_dir / "quarto"
    quarto.write_text(
        f'#!/bin/sh\nQUARTO_STANDIN_VERSION={shlex.quote(version)} exec "{sys.executable}" '
        f'"{Path(__file__)}" "$@"\n'
    )
    quarto.chmod(0o755)
    return quarto


def main(argv: list[str]) -> int:
    log = os.environ.get("QUARTO_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(" ".join(argv) + "\n")
    if argv[:1] == ["--version"]:  # Quarto prints its version alone: `1.10.18`
        print(os.environ.get("QUARTO_STANDIN_VERSION", VERSION))
        return 0
    try:
        if argv[:1] != ["render"]:
            raise NotModelled(f"only `render` and `--version` are modelled, not {argv}")
        render(argv[1:])
    except QuartoError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    except NotModelled as exc:
        print(f"quarto stand-in: {exc}", file=sys.stderr)
        return 64
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
