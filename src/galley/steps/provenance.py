"""What a reviewer needs to follow a figure back to its data: `manifest.json` (every step's
script, inputs and outputs with SHA-256, the command, the duration, tool versions, the git
commit) and one notebook per step (the script, a preview of the data, the outputs)."""

from __future__ import annotations

import base64
import csv
import json
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from galley.project import Project
from galley.steps import reviewer_files
from galley.steps.cache import MISSING, file_hashes
from galley.steps.config import Step, load_steps
from galley.steps.graph import order
from galley.steps.nb import code_cells, read_executed
from galley.steps.notebook_json import Notebook, cell, display, notebook, writes
from galley.steps.notes import notebook_path
from galley.steps.runner import command
from galley.util.atomic import write_staged
from galley.util.package_versions import installed_version
from galley.util.tools import TOOLS_CACHE, pandoc_version

if TYPE_CHECKING:
    from galley.steps import StepsReport

MANIFEST = "manifest.json"
# The notebooks' HTML pages as last made, by what they were made from (.galley/cache/).
NOTEBOOK_PAGES = "notebook-pages"
PREVIEW_ROWS = 10
TEXT_PREVIEW_LIMIT = 20_000
EXTRA_TOOLS = ("pandas", "matplotlib")


def _git(project: Project) -> dict[str, Any]:
    """The commit checked out and whether the work tree differs from it, from one `git status`
    (porcelain v2 names the commit in its `branch.oid` header, `(initial)` before the first);
    None for each when the project is not in a repository or git is missing."""
    try:
        done = subprocess.run(
            ["git", "status", "--porcelain=v2", "--branch"],
            cwd=project.root,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return {"commit": None, "dirty": None}
    if done.returncode != 0:
        return {"commit": None, "dirty": None}
    lines = done.stdout.splitlines()
    oid = next((line.split()[2] for line in lines if line.startswith("# branch.oid ")), None)
    return {
        "commit": None if oid in (None, "(initial)") else oid,
        "dirty": any(not line.startswith("#") for line in lines),
    }


def _files(project: Project, paths: tuple[str, ...]) -> list[dict[str, str | None]]:
    return [
        {"path": path, "sha256": None if digest == MISSING else digest}
        for path, digest in file_hashes(project, paths).items()
    ]


def manifest(
    project: Project, steps: dict[str, Step], report: StepsReport, tools: dict[str, str]
) -> dict[str, Any]:
    versions = dict(tools)
    for package in EXTRA_TOOLS:
        version = installed_version(package)
        if version is not None:
            versions.setdefault(package, version)
    entries = []
    for name in order(steps):
        step = steps[name]
        outcome = report.outcome(name)
        duration = outcome.duration if outcome else None
        entries.append(
            {
                "name": name,
                "script": _files(project, (step.script,))[0],
                "command": " ".join(command(step)),
                "inputs": _files(project, step.inputs),
                "outputs": _files(project, step.outputs),
                "duration_s": round(duration, 3) if duration is not None else "cached",
                "reason": outcome.reason if outcome else "not run",
                "notebook": notebook_path(step),
            }
        )
    return {"tools": dict(sorted(versions.items())), "git": _git(project), "steps": entries}


def _escaped(text: str) -> str:
    """`html.escape(text)`, without importing `html` (its table of entities, a millisecond of
    every cold render)."""
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        text = text.replace(char, entity)
    return text.replace("'", "&#x27;")


def _csv_preview(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for _, row in zip(range(PREVIEW_ROWS + 1), csv.reader(handle), strict=False)]
    if not rows:
        return {"text/plain": "(empty file)"}
    head, body = rows[0], rows[1:]
    cells = "".join(f"<th>{_escaped(c)}</th>" for c in head)
    lines = [f"<table>\n<thead><tr>{cells}</tr></thead>\n<tbody>"]
    for row in body:
        lines.append("<tr>" + "".join(f"<td>{_escaped(c)}</td>" for c in row) + "</tr>")
    lines.append("</tbody>\n</table>")
    plain = "\n".join(",".join(row) for row in rows)
    return {"text/html": "\n".join(lines), "text/plain": plain}


def _script_cells(project: Project, step: Step) -> list[Notebook]:
    """A script's code; a notebook's cells as its last run left them, outputs included."""
    path = project.root / step.script
    if not step.is_notebook:
        return [cell("code", path.read_text(encoding="utf-8"), "script")]
    executed = read_executed(project, step)
    if executed is None:  # write_provenance without a run: the code, and no outputs to show
        return [cell("code", text, f"script-{i}") for i, text in enumerate(code_cells(path))]
    return list(executed["cells"])


def _output_cells(project: Project, path: str, index: int) -> list[Notebook]:
    full = project.root / path
    heading = cell("markdown", f"### `{path}`", f"output-{index}-title")
    if not full.is_file():
        return [heading, cell("markdown", "*(missing)*", f"output-{index}")]
    suffix = full.suffix.lower()
    if suffix == ".png":
        data = {
            "image/png": base64.b64encode(full.read_bytes()).decode("ascii"),
            "text/plain": f"<image {path}>",
        }
        show = f'from IPython.display import Image\nImage(filename="{path}")'
    elif suffix == ".md":
        text = full.read_text(encoding="utf-8")
        data = {"text/markdown": text, "text/plain": text}
        show = f'from IPython.display import Markdown\nMarkdown(filename="{path}")'
    elif suffix in (".svg", ".pdf") or full.stat().st_size > TEXT_PREVIEW_LIMIT:
        return [
            heading,
            cell(
                "markdown",
                "(see the file; the PNG shows the figure)"
                if suffix == ".svg"
                else "(not previewed)",
                f"output-{index}",
            ),
        ]
    else:
        data = {"text/plain": full.read_text(encoding="utf-8", errors="replace")}
        show = f'print(open("{path}", encoding="utf-8").read())'
    return [heading, cell("code", show, f"output-{index}", outputs=[display(data)])]


def reviewer_notebook(project: Project, step: Step) -> Notebook:
    hashes = file_hashes(project, (step.script, *step.inputs, *step.outputs))
    # The script and inputs are copied beside the notebooks' folder (reviewer_files): linked.
    table = "\n".join(
        f"| {f'[`{p}`](../{p})' if role != 'output' else f'`{p}`'} | {role} | `{hashes[p]}` |"
        for role, paths in (
            ("script", (step.script,)),
            ("input", step.inputs),
            ("output", step.outputs),
        )
        for p in paths
    )
    intro = (
        f"# Step `{step.name}`\n\n"
        f"How `{'`, `'.join(step.outputs)}` {'was' if len(step.outputs) == 1 else 'were'} made: "
        f"the script, the data it read, and what it wrote. Written by galley; to rerun the step, "
        f"run `galley build` (or `{' '.join(command(step))}`) in the project folder, where the "
        f"paths below are relative to.\n\n| File | Role | SHA-256 |\n|:--|:--|:--|\n{table}"
    )
    cells = [
        cell("markdown", intro, "intro"),
        cell(
            "markdown",
            f"## Notebook `{step.script}`, as galley ran it"
            if step.is_notebook
            else f"## Script `{step.script}`",
            "script-title",
        ),
    ]
    cells += _script_cells(project, step)
    cells.append(cell("markdown", "## Data read", "inputs-title"))
    for i, path in enumerate(step.inputs):
        full = project.root / path
        if full.suffix.lower() != ".csv" or not full.is_file():
            continue
        cells.append(
            cell("markdown", f"### `{path}` (first {PREVIEW_ROWS} rows)", f"input-{i}-title")
        )
        show = f'import pandas as pd\npd.read_csv("{path}").head({PREVIEW_ROWS})'
        cells.append(cell("code", show, f"input-{i}", outputs=[display(_csv_preview(full))]))
    cells.append(cell("markdown", "## Outputs", "outputs-title"))
    for i, path in enumerate(step.outputs):
        cells += _output_cells(project, path, i)
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook(cells, {"kernelspec": kernel, "language_info": {"name": "python"}})


def write_provenance(
    project: Project,
    report: StepsReport,
    out_dir: Path,
    tool_versions: dict[str, str],
    *,
    anonymous: bool = False,
    authors: list[str] | None = None,
) -> list[str]:
    """Write out_dir/manifest.json, out_dir/notebooks/<step>.ipynb and its HTML page for every
    step, and copy the files the steps were made from into out_dir. Anonymous: without what
    could name the authors (galley.steps.reviewer_files); returns a warning for each copied
    file that names one of `authors` (names and e-mails)."""
    steps = load_steps(project)
    data = manifest(project, steps, report, tool_versions)
    if anonymous:
        data = reviewer_files.anonymized_manifest(data)
    manifest_text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    write_staged(out_dir / MANIFEST, manifest_text.encode("utf-8"))
    kept = project.cache_dir / "cache" / NOTEBOOK_PAGES
    # As the render's cache key has it: no `pandoc --version` run when tools.json knows it.
    pandoc = pandoc_version(project.cache_dir / "cache" / TOOLS_CACHE)
    used = set()
    for step in steps.values():
        notebook = reviewer_notebook(project, step)
        if anonymous:
            notebook = reviewer_files.anonymized_notebook(project, notebook)
        ipynb = out_dir / notebook_path(step)
        write_staged(ipynb, (writes(notebook) + "\n").encode("utf-8"))
        title = f"Step {step.name}: how {', '.join(step.outputs)} {'was' if len(step.outputs) == 1 else 'were'} made"
        page = ipynb.with_suffix(".html")
        used.add(
            reviewer_files.write_notebook_page(notebook, ipynb.name, page, title, kept, pandoc)
        )
    for old in kept.glob("*.html"):
        if old.name not in used:
            old.unlink(missing_ok=True)  # the pages of notebooks as they no longer are
    reviewer_files.copy_step_files(project, steps, out_dir)
    return reviewer_files.author_traces(project, steps, authors or []) if anonymous else []
