"""Which `@key`s cite, as pandoc decides: the keys of every `Cite` element that pandoc's own
Markdown reader (the reader of the build, and of Quarto's pandoc) makes of a text, in order.

One pandoc process reads any number of texts, each on its own (cites.lua), in about 0.08 s for
an article; the answer is kept in a cache file, keyed by the texts and the pandoc binary, so an
unchanged manuscript is not read twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from galley.util import json_cache
from galley.util.tools import pandoc_path, run

READER = resources.files("galley.reading") / "cites.lua"
# A `<` that can begin neither raw HTML nor an autolink nor the rest of a key (`@a<b`): pandoc
# reads it as text, but only after looking for a tag's end to the end of the paragraph, for
# each one (2,000 `{{< ` take it seven seconds, 4,000 thirty). Escaped, it is the same text
# read at once; the keys pandoc reports are all that is taken from this reading.
# A braced key (`@{a<}`) is matched first and kept whole: its `<` is part of the key.
INERT_LT = re.compile(r"(?P<key>@\{[^{}\n]*\})|(?<!\\)<(?![\w/!?])")


def _escape_inert(text: str) -> str:
    return INERT_LT.sub(lambda m: m["key"] or "\\<", text)


SHAPE = json_cache.Record({"digest": str, "cites": json_cache.ListOf(json_cache.ListOf(str))})


def _digest(payload: str) -> str:
    pandoc = pandoc_path()
    stat = os.stat(pandoc)  # a different pandoc may read differently
    tool = f"{pandoc}\0{stat.st_size}\0{stat.st_mtime_ns}\0{READER.read_text(encoding='utf-8')}"
    return hashlib.sha256(f"{tool}\0{payload}".encode()).hexdigest()


def pandoc_cites(texts: Sequence[str], cache: Path | None = None) -> list[list[str]]:
    """The cited keys of each text, as pandoc reads it (crossrefs such as `fig-x` included)."""
    payload = json.dumps([_escape_inert(text) for text in texts])
    digest = _digest(payload)
    if cache is not None:
        cached = json_cache.load(cache, SHAPE)
        if cached.get("digest") == digest and len(cached["cites"]) == len(texts):
            return [list(keys) for keys in cached["cites"]]
    with resources.as_file(READER) as reader:
        result = run(
            [pandoc_path(), "lua", str(reader)],
            what="pandoc reading the citations (cites.lua)",
            input_text=payload,
        )
    # Lua has one table type: an empty list comes back as `{}`.
    cites = [keys if isinstance(keys, list) else [] for keys in json.loads(result.stdout)]
    if cache is not None:
        json_cache.save(cache, {"digest": digest, "cites": cites})
    return cites
