"""`galley doctor`: versions, fonts, the engine `auto` would choose and why, and any problem
with the project's configuration — what a bug report should include."""

from __future__ import annotations

import argparse
import platform
import sys
from collections.abc import Callable

from galley.errors import GalleyError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options beyond --project


def _fonts() -> str:
    """The font families Typst finds: its own, and the system's (the PDF may use either)."""
    from galley.util.tools import typst_module

    typst = typst_module()
    embedded = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True)
    everything = typst.Fonts(include_system_fonts=True, include_embedded_fonts=True)
    own = sorted({font.family for font in embedded.fonts()})
    system = sorted({font.family for font in everything.fonts()} - set(own))
    return (
        f"{', '.join(own) or 'none'} (Typst's own); {len(system)} system famil"
        + ("y" if len(system) == 1 else "ies")
        + (f": {', '.join(system)}" if system else "")
    )


def _versions() -> list[tuple[str, Callable[[], str]]]:
    from galley import __version__
    from galley.util.tools import pandoc_path, pandoc_version, quarto_path, run, typst_version

    def pandoc() -> str:
        # The binary's own version: it keys the render cache, and its Typst writer must suit
        # the Typst compiler below.
        return f"{pandoc_version()} ({pandoc_path()})"

    def quarto() -> str:
        path = quarto_path()
        if path is None:
            return "not found on PATH (optional)"
        return run([path, "--version"], what="quarto --version").stdout.strip() + f" ({path})"

    return [
        ("python", lambda: f"{sys.version.split()[0]} ({sys.executable})"),
        ("galley", lambda: __version__),
        ("pandoc", pandoc),
        ("typst", typst_version),
        ("quarto", quarto),
        ("fonts", _fonts),
    ]


def _project_checks(args: argparse.Namespace) -> list[tuple[str, Callable[[], str]]]:
    from galley.check.config import check_config, link_config
    from galley.project import load_project
    from galley.rendering import preflight
    from galley.steps.config import load_steps
    from galley.steps.data import validate_data

    loaded = []

    def project() -> str:
        loaded.append(load_project(args.project))
        return str(loaded[0].root)

    def article() -> str:
        p = loaded[0]
        outputs = ", ".join(f"{fmt} -> {p.rel(p.output_path(fmt))}" for fmt in p.formats)
        return f"{p.rel(p.article)} ({outputs})"

    def bibliography() -> str:
        preflight.check_bibliographies(loaded[0])
        return ", ".join(loaded[0].rel(b) for b in loaded[0].bibliographies) or "none"

    def steps() -> str:
        count = len(load_steps(loaded[0]))
        validate_data(loaded[0])
        return f"{count} declared; data valid"

    def settings() -> str:
        check_config(loaded[0])
        link_config(loaded[0])
        preflight.check_output_dir(loaded[0])
        return "[tool.galley] and the output folder are fine"

    return [
        ("project", project),
        ("article", article),
        ("bibliography", bibliography),
        ("data steps", steps),
        ("settings", settings),
    ]


def run(args: argparse.Namespace) -> int:
    from galley.engines import choose_engine

    problems = 0

    def show(name: str, value: Callable[[], str]) -> bool:
        nonlocal problems
        try:
            print(f"{name}: {value()}")
        except GalleyError as exc:
            print(f"{name}: PROBLEM: {exc}")
            problems += 1
            return False
        return True

    print(f"platform: {platform.platform()}")
    for name, value in _versions():
        show(name, value)
    _, reason = choose_engine("auto")
    print(f"engine (auto): {reason}")
    for name, value in _project_checks(args):
        if not show(name, value) and name == "project":
            break  # nothing else can be checked without the project
    print("no problems found" if not problems else f"{problems} problem(s) found")
    return 1 if problems else 0
