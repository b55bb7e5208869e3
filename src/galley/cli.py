"""The `galley` command: parses arguments and dispatches to one module per subcommand."""

from __future__ import annotations

import argparse
import atexit
import gc
import importlib
import sys
from collections.abc import Sequence

from galley import __version__
from galley.errors import error_handler

# One module per subcommand in galley.commands; each has `add_arguments(parser)` and
# `run(args) -> int`. Imported only when its command runs, so start-up stays fast.
# What `galley --help` tells the user (the module docstring above is for developers).
DESCRIPTION = (
    "Render a Quarto manuscript to HTML, PDF (Typst) and DOCX, with or without Quarto; check its "
    "citations, cross-references and links; show what changed since a submitted version."
)
COMMANDS = {
    "init": "start a new paper here or in DIR, or add what an existing project lacks",
    "build": "render the manuscript to HTML, PDF and DOCX",
    "status": "list the generated files that are stale, and why",
    "check": "check citations, bibliography, cross-references and links",
    "refs": "print the article's reference list, as the article prints it",
    "doctor": "print versions, the engine galley would use, and configuration problems",
    "diff": "show what changed since a git revision, in _manuscript/diff.html",
    "preview": "rebuild the HTML on each save and reload it in the browser (127.0.0.1)",
    "export": "write the data steps as a workflow for another engine (Snakemake)",
}


def _parser(selected: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="galley", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"galley {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, help_text in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.add_argument(
            "--project", default=".", metavar="DIR", help="the Quarto project folder (default: .)"
        )
        if name == selected:  # only the command that runs is imported
            _command_module(name).add_arguments(command)
    return parser


def _command_module(name: str):  # type: ignore[no-untyped-def]
    return importlib.import_module(f"galley.commands.{name}")


def main(argv: Sequence[str] | None = None) -> int:
    # At exit, Python's last collections walk every object the run made, only to free memory
    # the system takes back anyway (11 ms of a cold render's 0.4 s of CPU): frozen first, they
    # are not walked. Registered once per process, however often `main` runs in it.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    # Python's collector runs every 700 new objects: 50 times in a cold render (7 ms), mostly
    # walking modules and data that live to the end. Every 50,000 it does not run in one; a
    # book's render still collects, and galley's data (pandoc's JSON, the caches) hold no cycles.
    # The older generations keep Python's rhythm (every 10 collections of the one before).
    gc.set_threshold(50_000)
    argv = list(sys.argv[1:] if argv is None else argv)
    selected = next((arg for arg in argv if not arg.startswith("-")), None)
    args = _parser(selected).parse_args(argv)
    with error_handler(sys.stderr.write) as code:
        code[0] = _command_module(args.command).run(args)
    return code[0]
