"""`galley refs`: the article's own reference list, to paste into cover letters and forms."""

from __future__ import annotations

import argparse
import sys

from galley.project import load_project
from galley.review.reference_list import reference_list
from galley.util.lock import project_lock


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
    # The list is made in galley's scratch folder, which a build starting meanwhile would empty.
    with project_lock(project.cache_dir, "refs"):
        references = reference_list(project, every_entry=args.all)
    if args.format == "html":
        # The entries are the page's own elements, in a list element like the page's `#refs`.
        body = "".join(f"{entry}\n" for entry in references.html)
        sys.stdout.write(f'<div class="references csl-bib-body" role="list">\n{body}</div>\n')
        return 0
    entries = references.markdown if args.format == "markdown" else references.plain
    sys.stdout.write("\n\n".join(entries) + ("\n" if entries else ""))
    return 0
