"""`galley refs`: the APA reference list, formatted by citeproc-py, to paste into forms."""

from __future__ import annotations

import argparse
import sys

from galley.check.config import declared_outputs
from galley.check.render import csl_items, render_list
from galley.project import load_project
from galley.reading.documents import load_corpus
from galley.reading.uses import cited_keys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=["text", "markdown", "html"],
        default="text",
        help="output format (default: text)",
    )
    parser.add_argument(
        "--all", action="store_true", help="every bibliography entry, not only the cited ones"
    )


def run(args: argparse.Namespace) -> int:
    project = load_project(args.project)
    cited: set[str] | None = None
    if not args.all:
        corpus = load_corpus(project, declared_outputs(project), set())
        cited = cited_keys(project, corpus)
    items = [item for path in project.bibliographies for item in csl_items(path, cited)]
    if cited is not None:  # the copy pandoc read also holds the entries cited ones inherit from
        items = [item for item in items if str(item.get("id")) in cited]
    references = render_list(items, args.format)
    if args.format == "html":
        body = "\n".join(f'  <div class="csl-entry">{r}</div>' for r in references)
        sys.stdout.write(f'<div class="references">\n{body}\n</div>\n')
    else:
        sys.stdout.write("\n\n".join(references) + ("\n" if references else ""))
    return 0
