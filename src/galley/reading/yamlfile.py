"""YAML as Quarto reads it: YAML 1.2's core schema, and a key given twice is an error.

Quarto reads front matter, `_quarto.yml` and metadata files with js-yaml and a schema of null,
booleans, integers and floats over plain strings (`QuartoJSONSchema` in quarto-cli's
`src/core/yaml.ts`): YAML 1.2's core schema. PyYAML's default is YAML 1.1, where `lang: no` is
`False`, `on`/`yes`/`off` are booleans, `0755` is the octal 493 and an unquoted date is a date
object. This loader is PyYAML's parser with the core schema's resolution rules (YAML 1.2.2,
section 10.3.2) instead: those are plain text, `0755` is 755, and only `true`/`false` (in three
spellings) are booleans. Keys are unique in YAML 1.2; PyYAML would silently keep the last value,
and the author would not know which of the two settings the outputs follow.

The reading is bounded, as YAML from anyone must be: collections nest at most MAX_DEPTH levels
(PyYAML's composer recurses per level), and the document, with every alias expanded as the
readers downstream expand it (a copy per use: JSON, pandoc's metadata), holds at most
MAX_EXPANDED nodes and characters more than twice its text's length. A few hundred bytes of aliases, each naming the one before
nine times, expand to a billion nodes. Both are counted as the parser hands over its events,
before anything is built; a refusal names the line and the limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    Event,
    NodeEvent,
    ScalarEvent,
)
from yaml.nodes import ScalarNode

TAG = "tag:yaml.org,2002:"
# YAML 1.2.2, 10.3.2: each tag with its pattern and the first characters a match can start with.
CORE_SCHEMA = (
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
)
# Settings that Quarto's schema types as booleans and galley reads. Written `toc: no`, YAML 1.1's
# false is now the text "no", which a template takes for true: refused, rather than inverted.
BOOLEAN_SETTINGS = frozenset({
    "toc", "number-sections", "link-citations", "citeproc", "suppress-bibliography",
    "callout-icon", "corresponding", "chapters", "ref-hyperlink",
})  # fmt: skip
YAML_11_BOOLEANS = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "on", "On", "ON"), "true"),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "off", "Off", "OFF"), "false"),
}
# Tags the core schema reads; an explicit `!!timestamp`, `!!binary` or `!!set` is refused, as
# Quarto refuses it.
CORE_TAGS = ("null", "bool", "int", "float", "str", "seq", "map")


def _int(loader: SafeConstructor, node: yaml.Node) -> int:
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    try:
        return int(text, 0) if text[:2] in ("0o", "0x") else int(text, 10)
    except ValueError:
        raise ConstructorError(
            None, None, f"`{text}` is not a YAML 1.2 integer", node.start_mark
        ) from None


def _float(loader: SafeConstructor, node: yaml.Node) -> float:
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    special = {".inf": "inf", "+.inf": "inf", "-.inf": "-inf", ".nan": "nan"}
    try:
        return float(special.get(text.lower(), text))
    except ValueError:
        raise ConstructorError(
            None, None, f"`{text}` is not a YAML 1.2 number", node.start_mark
        ) from None


Construct = Callable[[SafeConstructor, yaml.Node], Any]
MAX_DEPTH = 100
# Nodes plus the characters of their scalars, aliases expanded: at most this more than twice
# the text's length (which a document without aliases never reaches).
MAX_EXPANDED = 1_000_000


def _beyond(problem: str, event: Event) -> ConstructorError:
    """A limit passed at `event`: an error with its line, as PyYAML's own are."""
    return ConstructorError(None, None, problem, event.start_mark)  # type: ignore[arg-type]


class _CoreLoader(yaml.SafeLoader):
    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    _depth = 0
    _expanded = 0  # the size of the document so far, with each alias counted as what it names
    _aliases = 0
    _anchored: dict[str, int]  # each anchor's expanded size
    _open: list[tuple[str | None, int]]  # each open collection's anchor and size before it

    def get_event(self) -> Event:
        event: Event = super().get_event()  # type: ignore[no-untyped-call]
        if not hasattr(self, "_open"):
            self._anchored, self._open = {}, []
        size = 0
        if isinstance(event, CollectionStartEvent):
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise _beyond(
                    f"collections nested deeper than {MAX_DEPTH} levels; galley reads YAML up "
                    f"to {MAX_DEPTH} levels deep",
                    event,
                )
            self._open.append((event.anchor, self._expanded))
            size = 1
        elif isinstance(event, CollectionEndEvent):
            self._depth -= 1
            anchor, before = self._open.pop()
            if anchor is not None:
                self._anchored[anchor] = self._expanded - before
        elif isinstance(event, ScalarEvent):
            size = 1 + len(event.value)
            if event.anchor is not None:
                self._anchored[event.anchor] = size
        elif isinstance(event, AliasEvent):
            self._aliases += 1
            size = self._anchored.get(event.anchor or "", 1)  # an unknown one: PyYAML's error
        self._expanded += size
        limit = MAX_EXPANDED + 2 * len(self.buffer)  # the whole text, when read from a string
        if self._expanded > limit and isinstance(event, NodeEvent):
            raise _beyond(
                f"with its {self._aliases} aliases expanded, the YAML holds more than "
                f"{limit:,} nodes and characters (galley's limit); write the values out "
                "instead of repeating aliases of aliases",
                event,
            )
        return event

    yaml_constructors: ClassVar[dict[str | None, Construct]] = {
        **{TAG + tag: SafeConstructor.yaml_constructors[TAG + tag] for tag in CORE_TAGS},
        TAG + "int": _int,
        TAG + "float": _float,
        None: SafeConstructor.yaml_constructors[None],  # an unknown tag: an error with its line
    }

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, list | dict):
                continue  # PyYAML refuses an unhashable key below, with its line
            if key in seen:
                raise ConstructorError(
                    None,
                    None,
                    f"key `{key}` is given twice (first at line {seen[key]}); keep one",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


class _SettingsLoader(_CoreLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or not isinstance(value_node, ScalarNode):
                continue
            meant = YAML_11_BOOLEANS.get(value_node.value) if value_node.style is None else None
            if key_node.value in BOOLEAN_SETTINGS and meant is not None:
                key, value = key_node.value, value_node.value
                raise ConstructorError(
                    None,
                    None,
                    f"`{key}: {value}` is not a boolean in YAML 1.2, which Quarto reads (only "
                    f"true and false are); write `{key}: {meant}`",
                    value_node.start_mark,
                )
        return super().construct_mapping(node, deep=deep)


for _tag, _pattern, _first in CORE_SCHEMA:
    _CoreLoader.add_implicit_resolver(TAG + _tag, re.compile(_pattern), _first)


def load(text: str) -> Any:
    """`text` read as YAML 1.2 (core schema), refusing a duplicate key with a problem that names
    it and its line."""
    return yaml.load(text, Loader=_CoreLoader)  # noqa: S506 (a SafeLoader with fewer types)


def load_settings(text: str) -> Any:
    """Front matter, `_quarto.yml` or a metadata file: `load`, also refusing YAML 1.1's yes/no
    words as the value of a boolean setting, with the line."""
    return yaml.load(text, Loader=_SettingsLoader)  # noqa: S506 (a SafeLoader with fewer types)
