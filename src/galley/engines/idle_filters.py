"""The filters a format's pandoc run leaves out because they would find nothing to do.

Several of galley's Lua filters change only elements that carry a word of their own in a class,
an attribute or an identifier (`.callout-note`, `#thm-x`, `layout-ncol`) or that are math; when
none of those words is written anywhere in what the run reads (the body, the metadata file,
the Markdown galley adds before and after the body), no such element can exist and the filter
would walk the whole document to return it unchanged (1-5 ms each on this repository's article,
a fifth of a run's filters). Each word is one that any such element must show in that text,
whichever way it is written: so a word found (even in running text) keeps the filter.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

# Filter -> the words one of which any element it changes shows.
TRIGGERS: dict[str, tuple[str, ...]] = {
    # `.content-visible` / `.content-hidden` divs, spans and code blocks.
    "conditional.lua": ("content-visible", "content-hidden"),
    "list-table.lua": ("list-table",),
    # `.callout` and `.callout-<type>` divs; `callout-appearance` and the like in the metadata
    # keep it too, harmlessly.
    "callout.lua": ("callout",),
    # Divs with a `#thm-` (…) identifier. Typst's theorem kinds, renamed at the top of the
    # document, are renamed by settings whose keys hold the same words (`crossref: thm-title`).
    "theorem.lua": ("thm-", "lem-", "cor-", "prp-", "cnj-", "def-", "exm-", "exr-"),
    # `.proof`, `.remark`, `.solution` divs, `#rem-` and `#sol-` ones.
    "proof.lua": ("proof", "remark", "solution", "rem-", "sol-"),
    # Math: pandoc's JSON `"Math"`, or in Markdown (the body, metadata values, an attribute an
    # earlier filter reads as Markdown) `$`, `\(`, `\[` or a LaTeX environment.
    "equations.lua": ("Math", "$", "\\(", "\\[", "\\begin"),
    # Figures and divs with `layout`, `layout-ncol` or `layout-nrow`.
    "layout.lua": ("layout",),
    # Typst's math, written as equations.lua's words show it (see CITED for the bibliography's).
    "typst-math.lua": ("Math", "$", "\\(", "\\[", "\\begin"),
}

# Filters that run after citeproc, which brings the bibliography's text into the document,
# and the words (lower case) one of which its math shows in a bibliography file: BibTeX's is
# LaTeX (`$`, `\(`, `\[`, an environment, `\ensuremath` or any command naming math), CSL YAML's
# Markdown. Such a filter stays when a bibliography holds one, or cannot be read.
CITED: dict[str, tuple[str, ...]] = {
    "typst-math.lua": ("$", "\\(", "\\[", "\\begin", "math"),
}


def idle_filters(texts: Iterable[str], bibliographies: Iterable[Path] = ()) -> frozenset[str]:
    """The filters of TRIGGERS none of whose words occurs in `texts`, all that a run reads, nor
    (for those of CITED) in the `bibliographies` citeproc reads."""
    found = frozenset().union(*map(_words_in, texts))
    idle = {name for name, words in TRIGGERS.items() if found.isdisjoint(words)}
    if idle & CITED.keys():
        cited = [_lower_text(path) for path in bibliographies]
        idle -= {
            name
            for name, words in CITED.items()
            if any(text is None or word in text for text in cited for word in words)
        }
    return frozenset(idle)


@functools.lru_cache(maxsize=8)
def _words_in(text: str) -> frozenset[str]:
    """The words of TRIGGERS that occur in `text`: looked for once in the body every format's
    run reads (2 ms on this repository's article), not once a format."""
    return frozenset(word for words in TRIGGERS.values() for word in words if word in text)


def _lower_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace").lower()
    except OSError:
        return None
