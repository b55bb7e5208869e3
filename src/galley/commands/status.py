"""`galley status`: what a plain `galley build` would redo, and why: the data steps it would
rerun and the formats of the normal edition it would render; and an exported Snakefile that no
longer matches the steps."""

from __future__ import annotations

import argparse

from galley.project import Project, load_project


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options beyond --project."""


def _stale_formats(project: Project) -> list[tuple[str, str]]:
    """The formats `galley build` would render, each with the reason (what changed)."""
    from galley.engines import choose_engine, edition
    from galley.reading.sources import load_source
    from galley.rendering.render_cache import RenderCache, render_parts

    engine, _ = choose_engine("auto")
    source = load_source(project)
    normal = {"self_contained": False, "anonymous": False, "profile": None}
    cache = RenderCache(project)
    stale = []
    for fmt in project.formats:
        parts = render_parts(project, source, fmt, engine.name, edition.cache_extra(fmt, normal))
        why = cache.why_stale(fmt, parts, edition.edition_output(project, "", fmt))
        if why:
            stale.append((fmt, why))
    return stale


def run(args: argparse.Namespace) -> int:
    from galley.steps import stale_exports, stale_steps
    from galley.steps.config import load_steps

    project = load_project(args.project)
    steps = stale_steps(project) if project.galley.get("steps") else []
    formats = _stale_formats(project)
    exports = stale_exports(project, load_steps(project))
    for warning in exports:
        print(warning)
    if not steps and not formats:
        print("everything is up to date" if not exports else "the outputs are up to date")
        return 0
    for what, stale in (("step", steps), ("format", formats)):
        if not stale:
            continue
        width = max(len(name) for name, _ in stale)
        verb = "would run" if what == "step" else "would render"
        print(f"{len(stale)} {what}{'s' if len(stale) != 1 else ''} {verb}:")
        for name, reason in stale:
            print(f"  {name:<{width}}  {reason}")
    return 0
