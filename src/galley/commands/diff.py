"""`galley diff REV`: what changed since a git revision, as the reader sees it.

Writes `_manuscript/diff.html` (the changes), `diff.docx` (the manuscript with Word's tracked
changes) and `diff.pdf` (the marked manuscript), see galley.review.
"""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rev", metavar="REV", help="a git tag, branch or commit, e.g. submitted-v1")


def _log(message: str) -> None:
    print(message, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from galley.engines.options import RenderOptions, raise_failure
    from galley.engines.pandoc import PandocEngine
    from galley.errors import GalleyError
    from galley.project import load_project
    from galley.review.compare import compare
    from galley.review.marked_pdf import write_marked_pdf
    from galley.review.page import render
    from galley.review.rendered import read_rendered
    from galley.review.revision_diff import export_revision, version_date
    from galley.review.tracked_docx import write_tracked_docx
    from galley.steps import run_steps
    from galley.util.atomic import staging, write_bytes, write_text
    from galley.util.lock import project_lock

    project = load_project(args.project)
    with (
        project_lock(project.cache_dir, "diff"),
        staging(project.cache_dir / "tmp", "diff-") as scratch,
    ):
        old_project, sha = export_revision(project, args.rev, scratch / "rev")
        _log(f"galley: comparing {args.rev} ({sha}) with the working tree")
        # Each version's generated tables, figures and numbers as its own data and scripts make
        # them: REV's are made from REV's files, even where they were never committed.
        try:
            if old_project.galley.get("steps"):
                run_steps(old_project, log=_log)
            old = read_rendered(old_project, f"{args.rev} ({sha})")
        except GalleyError as error:
            # Its file and line are REV's, not the working tree's: say so.
            raised = GalleyError(f"{error} (in {args.rev}, {sha}, as git holds it)")
            raised.exit_code = error.exit_code
            raise raised from None
        if project.galley.get("steps"):
            run_steps(project, log=_log)
        new = read_rendered(project, "working tree")
        comparison = compare(old, new)
        title = next((b.text for b in new.blocks if b.ident == "title"), "")
        lang = str(project.config.get("lang") or "en")
        page = render(comparison, title, lang)  # while REV's images are still in the scratch
        # The current version's own DOCX lends the marked copy its styles and page.
        stage = scratch / "docx"
        raise_failure(PandocEngine().render(project, RenderOptions(formats=["docx"]), stage))
        template = stage / project.output_path("docx").relative_to(project.output_dir)
        write_tracked_docx(comparison, template, scratch / "diff.docx", version_date(project))
        (scratch / "pdf").mkdir()
        write_marked_pdf(comparison, scratch / "pdf", scratch / "diff.pdf")
        outputs = {name: (scratch / name).read_bytes() for name in ("diff.docx", "diff.pdf")}
    target = project.output_dir / "diff.html"
    write_text(target, page)
    for name, data in outputs.items():
        write_bytes(project.output_dir / name, data)
    counts = comparison.counts()
    changed = ", ".join(
        f"{group.lower()} {n['added']} added, {n['removed']} removed, {n['changed']} changed"
        for group, n in counts.items()
    )
    _log(
        f"galley: wrote {project.rel(target)}, diff.docx and diff.pdf: "
        f"{comparison.words('insert')} words inserted, {comparison.words('delete')} deleted; "
        f"{changed}"
    )
    return 0
