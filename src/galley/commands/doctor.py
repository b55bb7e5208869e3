"""`galley doctor`: versions, fonts, the engine `auto` would choose and why, and any problem
with the project's configuration — what a bug report should include."""

from __future__ import annotations

import argparse
import platform


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options beyond --project


def _typst_fonts() -> str:
    import typst

    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True)
    return ", ".join(sorted({font.family for font in fonts.fonts()})) or "none"


def run(args: argparse.Namespace) -> int:
    from galley.engines import choose_engine
    from galley.errors import GalleyError
    from galley.project import load_project
    from galley.tools import tool_versions

    problems = 0
    print(f"platform: {platform.platform()}")
    try:
        for name, version in tool_versions().items():
            print(f"{name}: {version}")
    except GalleyError as exc:
        print(f"problem: {exc}")
        problems += 1
    print(f"typst fonts: {_typst_fonts()}")
    engine, reason = choose_engine("auto")
    print(f"engine (auto): {engine.name} — {reason}")
    try:
        project = load_project(args.project)
        print(f"project: {project.root}")
        print(f"article: {project.rel(project.article)}")
        print(f"formats: {', '.join(project.formats)}")
        for fmt in project.formats:
            print(f"  {fmt} -> {project.rel(project.output_path(fmt))}")
        steps = project.galley.get("steps") or {}
        print(f"data steps: {len(steps)}")
    except GalleyError as exc:
        print(f"problem: {exc}")
        problems += 1
    print("no problems found" if not problems else f"{problems} problem(s) found")
    return 1 if problems else 0
