"""What a reviewer opens from the HTML edition besides the article: the files each step was made
from, copied into the edition's folder byte for byte at their places in the project (so the
source note's link `../data/prevalence.csv` works from disk, offline), and each reviewer
notebook as an HTML page beside its `.ipynb` (a browser shows an `.ipynb` as raw JSON).

The anonymous edition carries the same files without what could name the authors: the git
commit (a hash a search engine finds in a public repository), the notebooks' metadata, and the
project's absolute path in the notebooks' outputs (`/home/jane/paper/...`)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path
from typing import Any

from galley.errors import ToolError
from galley.project import Project
from galley.steps import notebook_json
from galley.steps.config import Step
from galley.steps.descriptor import DATAPACKAGE
from galley.steps.notebook_json import Notebook, cell, writes
from galley.util.atomic import write_bytes, write_staged
from galley.util.tools import pandoc_path, tail

# What the notebook page's link back to the file says.
IPYNB_LINK = "This page shows the notebook [`{name}`]({name}) (open it in Jupyter to run it)."
# Notebook metadata that says how to run it, and nothing about who wrote it.
KEPT_METADATA = ("kernelspec", "language_info")


def step_files(project: Project, steps: dict[str, Step]) -> list[str]:
    """The project files the steps were made from, each once: every script and input, and the
    data package that describes the data."""
    paths = [path for step in steps.values() for path in (step.script, *step.inputs)]
    if (project.root / DATAPACKAGE).is_file():
        paths.append(DATAPACKAGE.as_posix())
    return list(dict.fromkeys(paths))


def copy_step_files(project: Project, steps: dict[str, Step], out_dir: Path) -> None:
    """Copy each step's files into `out_dir` at the same relative place, byte for byte. A path
    that is missing, a folder, or (through a link) outside the project is not copied: the
    source note then names it without a link that would lead nowhere."""
    root = project.root.resolve()
    for path in step_files(project, steps):
        origin = (project.root / path).resolve()
        if not origin.is_file() or not origin.is_relative_to(root):
            continue
        target = out_dir / path
        if target.resolve() == origin:  # written into the project itself: already there
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(origin, target)


def author_traces(project: Project, steps: dict[str, Step], names: list[str]) -> list[str]:
    """Where a file the anonymous edition ships byte for byte names an author (a name or an
    e-mail from the front matter, in any case): one warning line each, with file and line. The
    file is shipped as it is, since its bytes are what its hash vouches for; the author decides."""
    wanted = [(name, name.casefold()) for name in names if name.strip()]
    found = []
    for path in step_files(project, steps):
        try:
            lines = (project.root / path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue  # missing, or not text: nothing a reader would read as a name
        for number, line in enumerate(lines, start=1):
            folded = line.casefold()
            for name, key in wanted:
                if key in folded:
                    found.append(
                        f"galley: warning: {path}:{number}: names `{name}`, and the anonymous "
                        "edition ships this file as it is; remove the name from the file, or "
                        "send the reviewers an edition without it"
                    )
    return found


def anonymized_notebook(project: Project, notebook: Notebook) -> Notebook:
    """The notebook without its metadata, its cells' metadata, or the project's absolute path."""
    notebook["metadata"] = {k: v for k, v in notebook["metadata"].items() if k in KEPT_METADATA}
    folder = str(project.root.resolve())
    for item in notebook["cells"]:
        item["metadata"] = {}
        item["source"] = item["source"].replace(folder, ".")
        for output in item.get("outputs", []):
            _replace_in(output, folder, ".")
    return notebook


def anonymized_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest without the git commit, which would find the authors' repository."""
    return {key: value for key, value in manifest.items() if key != "git"}


def _replace_in(node: Any, old: str, new: str) -> None:
    """Replace `old` in every string of a notebook output (texts, tracebacks, data), in place."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in list(items):
        if isinstance(value, str):
            node[key] = value.replace(old, new)
        elif isinstance(value, dict | list):
            _replace_in(value, old, new)


def write_notebook_page(
    notebook: Notebook, ipynb_name: str, page: Path, title: str, kept: Path, pandoc: str
) -> str:
    """The notebook as a standalone HTML page at `page`, opening with a link to its `.ipynb`: its
    markdown, its code and its outputs, figures included inline, so that it reads offline in any
    browser. pandoc reads notebooks itself (its `ipynb` reader), as Quarto does; no Jupyter is
    needed. A page made before from the same notebook, title and pandoc (`pandoc`: its version)
    is taken from `kept` (a pandoc run a notebook, most of a render's time for this paper's
    five); returns its name there. `page` is in the build's stage (galley.util.atomic)."""
    pointer = cell("markdown", IPYNB_LINK.format(name=ipynb_name), "galley-ipynb-link")
    shown = notebook_json.notebook([pointer, *notebook["cells"]], {})
    command = [
        pandoc_path(),
        "--sandbox",  # reads only the notebook, from its standard input
        "--from", "ipynb",
        "--to", "html5",
        "--standalone",
        "--embed-resources",  # its figures inline: one file, as the `.ipynb` is
        "--wrap=none",
        "--variable", "maxwidth=60em",  # room for the hashes and the code (pandoc's is 36em)
        "--metadata", f"pagetitle={title}",
        "--output", str(page),
    ]  # fmt: skip
    text = writes(shown)
    key = hashlib.sha256("\0".join([pandoc, *command[:-1], text]).encode("utf-8")).hexdigest()
    name = f"{key}.html"
    if (kept / name).is_file():
        write_staged(page, (kept / name).read_bytes())
        return name
    done = subprocess.run(
        command, input=text, capture_output=True, text=True, encoding="utf-8", check=False
    )
    if done.returncode != 0:
        raise ToolError(
            f"pandoc failed rendering the reviewer notebook {ipynb_name} to HTML "
            f"(exit {done.returncode}):\n{tail(done.stderr)}"
        )
    write_bytes(kept / name, page.read_bytes())
    return name
