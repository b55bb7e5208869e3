"""`galley status`: which data steps a build would rerun, and why."""

from __future__ import annotations

import argparse

from galley.project import load_project


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options beyond --project."""


def run(args: argparse.Namespace) -> int:
    from galley.steps import stale_steps

    project = load_project(args.project)
    if not project.galley.get("steps"):
        print("no steps declared in [tool.galley.steps] of pyproject.toml: nothing to do")
        return 0
    stale = stale_steps(project)
    if not stale:
        print("everything is up to date")
        return 0
    width = max(len(name) for name, _ in stale)
    print(f"{len(stale)} step{'s' if len(stale) != 1 else ''} would run:")
    for name, reason in stale:
        print(f"  {name:<{width}}  {reason}")
    return 0
