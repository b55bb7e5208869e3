"""JSON an author wrote (data/datapackage.json and its schema files, a CSL JSON bibliography),
read within bounds: its size and its nesting, each refusal naming the file, the line and the
limit. Python's json reader recurses once per level and raises RecursionError past about a
thousand; no description or bibliography comes near the limit here.
"""

from __future__ import annotations

import json
import re
from array import array
from itertools import accumulate
from pathlib import Path
from typing import Any

from galley.errors import ConfigError, GalleyError, cannot_read

MAX_BYTES = 64 << 20
MAX_DEPTH = 64
# A string (its escapes read whole, so an escaped quote does not end it) or a bracket: the
# alternatives cannot both match at one place, so the scan is linear.
_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
# The same strings, and what is neither string nor bracket.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
# An opening bracket one level in, a closing one a level out, as signed bytes; the other bytes.
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_NOT_BRACKET_BYTES = bytes(sorted(set(range(256)) - set(b"[]{}")))


def deeper_than(text: str, limit: int) -> int | None:
    """The offset of the first bracket that opens level `limit + 1` of `text`, or None. The
    levels are counted first without a Python step per string and bracket (in half the time, on
    pandoc's JSON of an article); the offset is looked for only in text that has one."""
    levels = accumulate(array("b", _brackets(text)))
    if max(levels, default=0) <= limit:
        return None
    depth = 0
    for token in _STRING_OR_BRACKET.finditer(text):
        char = token[0]
        if char in "[{":
            depth += 1
            if depth > limit:
                return token.start()
        elif char in "]}":
            depth -= 1
    return None


def _brackets(text: str) -> bytes:
    """The steps of the brackets of `text` outside its strings, in order (`_STEPS`)."""
    if "\\" in text:
        return _NOT_BRACKET.sub("", _STRING.sub("", text)).encode("ascii").translate(_STEPS)
    # Without a backslash, each quote closes the string the one before it opened: the strings
    # are every other piece between quotes, and after an odd number of quotes the last one
    # opens none. A quarter of the regular expressions' time on pandoc's JSON of an article.
    pieces = text.split('"')
    outside = pieces[0::2] + pieces[-1:] if len(pieces) % 2 == 0 else pieces[0::2]
    joined = "".join(outside).encode("utf-8", "surrogatepass")
    return joined.translate(_STEPS, _NOT_BRACKET_BYTES)


def load_json(path: Path, shown: str, error: type[GalleyError] = ConfigError) -> Any:
    """The JSON in `path`; a file too large, nested too deeply or not JSON is an `error` naming
    `shown`, the line and what to do."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise error(
                f"the file is {size >> 20} MB; galley reads JSON files up to {MAX_BYTES >> 20} MB",
                path=shown,
            )
        text = path.read_text(encoding="utf-8")
    except PermissionError:
        raise error(cannot_read(shown)) from None
    except OSError as exc:
        raise error(f"cannot read it: {exc.strerror}", path=shown) from None
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 (byte {exc.start}); save it as UTF-8", path=shown) from None
    return loads(text, shown, error)


def loads(text: str, shown: str, error: type[GalleyError] = ConfigError, what: str = "JSON") -> Any:
    """`text` as JSON (`what` it is, for the message), within MAX_DEPTH levels (see
    `load_json`)."""
    deep = deeper_than(text, MAX_DEPTH)
    if deep is not None:
        raise error(
            f"JSON nested deeper than {MAX_DEPTH} levels; galley reads JSON up to {MAX_DEPTH} "
            "levels deep: flatten it",
            path=shown,
            line=text.count("\n", 0, deep) + 1,
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(
            f"invalid {what}: {exc.msg}; fix the syntax", path=shown, line=exc.lineno
        ) from None
