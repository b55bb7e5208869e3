"""YAML as Quarto reads it: a mapping that gives the same key twice is an error (YAML 1.2 says
keys are unique; PyYAML would silently keep the last value, and the author would not know
which of the two settings the outputs follow)."""

from __future__ import annotations

from typing import Any

import yaml


class _UniqueKeyLoader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key == "<<":
                continue  # a merge key may repeat
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"key `{key}` is given twice (first at line {seen[key]}); keep one",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def load(text: str) -> Any:
    """`yaml.safe_load`, refusing a duplicate key with a problem that names it."""
    return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader subclass)
