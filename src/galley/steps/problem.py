"""A problem found in the data, at its file and line; the Table Schema key that names a citation.

Shared by the validator (galley.steps.data) and the readers it calls (galley.steps.tables,
galley.steps.patterns), which it imports only when something changed.
"""

from __future__ import annotations

from typing import NamedTuple

# A Table Schema field marked with this key holds citation keys, checked against the bibliography.
CITATION_KEY = "galley:citationKey"


class Problem(NamedTuple):
    path: str
    line: int | None  # None: the file as a whole
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else f"{self.path}: {self.message}"
        )
