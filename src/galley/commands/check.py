"""`galley check`: citations, bibliography, cross-references and (with --links) links."""

from __future__ import annotations

import argparse
import sys

from galley.check.report import FORMATS
from galley.check.run import run_checks
from galley.errors import EXIT_ERROR, ConfigError
from galley.project import load_project
from galley.util.findings import has_errors


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--links", action="store_true", help="also check http(s) links over the network"
    )
    parser.add_argument(
        "--offline", action="store_true", help="only local checks; never use the network"
    )
    parser.add_argument(
        "--format", choices=sorted(FORMATS), default="text", help="output format (default: text)"
    )


def run(args: argparse.Namespace) -> int:
    if args.links and args.offline:
        raise ConfigError("--links checks the network and --offline forbids it; pass one of them")
    project = load_project(args.project)
    findings = run_checks(project, links=args.links)
    sys.stdout.write(FORMATS[args.format](findings))
    return EXIT_ERROR if has_errors(findings) else 0
