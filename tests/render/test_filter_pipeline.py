"""pipeline.lua runs galley's filters in one Lua state, as pandoc runs them one `--lua-filter`
each: real pandoc with the filters given one by one is the oracle, for each way a filter file can
be written (functions it defines, a filter or a list of filters it returns, a traversal order,
a file beside it loaded by path) and for filters whose globals share names."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from galley.engines.pandoc import RESOURCES
from galley.util.tools import pandoc_path

MARKDOWN = (
    "# Title\n\nSome *text* here, [a link](https://example.org).\n\n::: {.box}\nIn a box.\n:::\n"
)
FILTERS = {
    # Defines its functions and keeps state in a global that the next filter also names.
    "count.lua": (
        "seen = 0\n"
        "function Str(s) seen = seen + 1 end\n"
        "function Pandoc(doc) doc.blocks:insert(pandoc.Para{pandoc.Str('count ' .. seen)}) "
        "return doc end\n"
    ),
    # Returns a list of filters, applied in turn.
    "list.lua": (
        "return { { Emph = function(e) return pandoc.Strong(e.content) end },\n"
        "         { Strong = function(s) return pandoc.Underline(s.content) end } }\n"
    ),
    # Returns one filter, traversed top down, not descending into the Div.
    "topdown.lua": (
        "return { traverse = 'topdown',\n"
        "  Div = function(d) return d, false end,\n"
        "  Str = function(s) return pandoc.Str(s.text:upper()) end }\n"
    ),
    # Names the same global as count.lua, loads a file beside it by its own path, reads FORMAT.
    "sibling.lua": (
        "seen = 100\n"
        "local helper = dofile(pandoc.path.join { pandoc.path.directory(PANDOC_SCRIPT_FILE),"
        " 'helper.lua' })\n"
        "function Meta(meta) meta.seen = tostring(seen) meta.from = helper.word .. FORMAT "
        "return meta end\n"
    ),
}
FILTERS["leak.lua"] = (  # reads a global it never set: nil in a state of its own
    "function Meta(meta) meta.leaked = tostring(seen) return meta end\n"
)
HELPER = "return { word = 'helped-' }\n"


def run(folder: Path, *options: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(
        [pandoc_path(), "-f", "markdown", "-t", "native", "-s", *options],
        input=MARKDOWN, cwd=folder, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def test_the_pipeline_gives_what_one_lua_filter_each_gives(tmp_path: Path) -> None:
    (tmp_path / "helper.lua").write_text(HELPER, encoding="utf-8")
    paths = []
    for name, text in FILTERS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    one_each = run(tmp_path, *(f"--lua-filter={path}" for path in paths))
    # Each way of writing a filter had its effect.
    assert 'Para [ Str "COUNT 10" ]' in one_each and "Underline" in one_each
    assert 'Str "TITLE"' in one_each and 'Str "In"' in one_each  # not inside the Div
    assert 'MetaString "100"' in one_each and "helped-native" in one_each
    assert '( "leaked" , MetaString "nil" )' in one_each
    env = {**os.environ, "GALLEY_FILTERS": "\n".join(paths)}
    piped = run(tmp_path, f"--lua-filter={RESOURCES / 'pipeline.lua'}", env=env)
    assert piped == one_each
