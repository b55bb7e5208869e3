"""`galley build`: parses its options and runs the build (galley.pipeline.build)."""

from __future__ import annotations

import argparse
import time

from galley.pipeline.build import BuildOptions, build
from galley.project import FORMAT_EXTENSIONS, load_project


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--to",
        action="append",
        choices=sorted(FORMAT_EXTENSIONS),
        metavar="FORMAT",
        help="render only this format (html, docx, typst); repeatable. Default: all in _quarto.yml",
    )
    parser.add_argument(
        "--engine",
        default="auto",
        choices=("auto", "quarto", "pandoc"),
        help="auto: Quarto when `quarto` is on PATH, else the embedded pandoc + Typst engine",
    )
    parser.add_argument("--force", action="store_true", help="redo every step and format")
    parser.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        metavar="N",
        help="run at most N data steps at once (default: one per core)",
    )
    parser.add_argument(
        "--self-contained",
        action="store_true",
        help="write the HTML as one file with its images, style and script inside",
    )
    parser.add_argument(
        "--anonymous",
        action="store_true",
        help="blind review: no author, affiliation or e-mail in any output or its properties",
    )
    parser.add_argument(
        "--profile",
        choices=("review",),
        help="review: paragraph numbers (#p-12 in HTML) in every format, line numbers in PDF/DOCX",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail (exit 1, outputs left as they were) when the build prints any warning",
    )


def _jobs(text: str) -> int:
    """`-j N`: a whole number of steps at once, at least one."""
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of steps, 1 or more, not {text!r}"
        )
    return jobs


def run(args: argparse.Namespace) -> int:
    from galley.util import notices
    from galley.util.lock import project_lock

    started = time.perf_counter()
    project = load_project(args.project)
    with project_lock(project.cache_dir), notices.collecting():
        from galley.util.atomic import remove_leftovers

        remove_leftovers(project.cache_dir / "tmp", project.cache_dir / "cache")
        return build(project, _options(args), started)


def _options(args: argparse.Namespace) -> BuildOptions:
    return BuildOptions(
        to=args.to,
        engine=args.engine,
        force=args.force,
        jobs=args.jobs,
        self_contained=args.self_contained,
        anonymous=args.anonymous,
        profile=args.profile,
        strict=args.strict,
    )
