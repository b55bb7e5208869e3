"""`galley diff REV`: what changed since a git revision, as `_manuscript/diff.html`."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rev", metavar="REV", help="a git tag, branch or commit, e.g. submitted-v1")


def _log(message: str) -> None:
    print(message, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from galley.atomic import staging, write_text
    from galley.diff_page import render
    from galley.lock import project_lock
    from galley.project import Project, load_project
    from galley.revision_diff import compare, export_revision, load_version
    from galley.steps import run_steps

    project = load_project(args.project)

    def steps(version: Project) -> None:
        run_steps(version, log=_log)

    with (
        project_lock(project.cache_dir, "diff"),
        staging(project.cache_dir / "tmp", "diff-") as scratch,
    ):
        old_project, sha = export_revision(project, args.rev, scratch)
        _log(f"galley: comparing {args.rev} ({sha}) with the working tree")
        old = load_version(old_project, f"{args.rev} ({sha})", steps)
        new = load_version(project, "working tree", steps)
        comparison = compare(old, new)
        title = str(new.source.front_matter.get("title") or project.config.get("title") or "")
        lang = str(new.source.front_matter.get("lang") or project.config.get("lang") or "en")
        page = render(comparison, title, lang)  # while REV's images are still in the scratch
    target = project.output_dir / "diff.html"
    write_text(target, page)
    elements = len(comparison.elements_changed)
    _log(
        f"galley: wrote {project.rel(target)}: {comparison.words_inserted} words inserted, "
        f"{comparison.words_deleted} deleted, {elements} "
        f"{'figure or table' if elements == 1 else 'figures or tables'} changed"
    )
    return 0
