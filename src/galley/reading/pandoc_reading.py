"""Pandoc's one reading of the article: its JSON AST, shared by what needs the parse.

The build reads the article once: the local files it references come from this reading
(galley.reading.local_files), and each format's render starts from it (galley.engines.pandoc,
`--from json`) instead of reading the Markdown again. Pandoc's JSON reader gives back the very
document its Markdown reader made, so the outputs are the same, byte for byte.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from typing import Any

from galley.errors import GalleyError
from galley.project import Project
from galley.reading import settings_cache
from galley.reading.sources import Source
from galley.util.jsonfile import deeper_than
from galley.util.tools import pandoc_path, pandoc_runtime, run

# Levels of pandoc's JSON reading of the article: a list level takes four, a block quote two;
# far more than any article nests, and far from Python's recursion limit for the walks over it.
MAX_DEPTH = 200
META_KEY, BLOCKS_KEY = '"meta":', ',"blocks":'


@dataclass(frozen=True)
class ArticleReading:
    # Pandoc's JSON: `meta` (the project's settings and the front matter) and `blocks` (the body).
    # Kept as text: the decoded document is ten times its size (150 MB for a book of 2 MB of
    # text), and only the walk for local files needs it, once.
    text: str

    def document(self) -> dict[str, Any]:
        """The document, decoded (a new copy each time: let it go once read)."""
        document: dict[str, Any] = json.loads(self.text)
        return document

    @functools.cached_property
    def body_json(self) -> str:
        """The body alone, as pandoc's JSON reader takes it. No metadata: each format's comes
        from its `--metadata-file`, which a document's own metadata would override."""
        # Pandoc writes `{"pandoc-api-version":[…],"meta":{…},"blocks":[…]}`: the metadata is
        # cut out of the text, decoding it alone, not the body.
        start = self.text.find(META_KEY)
        if start != -1 and self.text[:start].startswith('{"pandoc-api-version":['):
            after = start + len(META_KEY)
            _, end = json.JSONDecoder().raw_decode(self.text, after)
            if self.text.startswith(BLOCKS_KEY, end):
                return self.text[:after] + "{}" + self.text[end:]
        document = self.document()
        document["meta"] = {}
        return json.dumps(document, ensure_ascii=False)


def _meta_yaml(meta: dict[str, Any]) -> str:
    """The settings and front matter as YAML, which pandoc alone reads."""
    import yaml  # only for settings not written before (galley.reading.settings_cache)

    # libyaml's writer, where PyYAML has it: YAML of the same values in a sixth of the
    # pure-Python writer's time.
    dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(meta, Dumper=dumper, allow_unicode=True)


def article_markdown(project: Project, source: Source) -> str:
    """What pandoc reads: the article's settings and front matter as YAML, and its body."""
    meta = {**project.config, **source.front_matter}
    written = settings_cache.written(meta, "pandoc metadata", _meta_yaml, project.root)
    return f"---\n{written}---\n\n{source.body}"


def read_article(project: Project, source: Source) -> ArticleReading:
    """Pandoc's reading of the article's settings, front matter and expanded body."""
    result = run(
        [pandoc_path(), "--sandbox", "--from", "markdown", "--to", "json"],
        what=f"pandoc reading {project.rel(project.article)}",
        input_text=article_markdown(project, source),
        env={**os.environ, "GHCRTS": pandoc_runtime()},
    )
    if deeper_than(result.stdout, MAX_DEPTH) is not None:
        raise GalleyError(
            f"the article nests block quotes, lists or divs deeper than galley reads (more than "
            f"{MAX_DEPTH} levels of pandoc's reading); flatten them",
            path=project.rel(project.article),
        )
    return ArticleReading(result.stdout)
