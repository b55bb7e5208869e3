"""Run one step: its script in a subprocess that writes into a fresh staging folder (and runs in
a working folder of its own there: galley.steps.workdir), then a check that exactly the declared
outputs appeared and nothing was written beside them, then an atomic move of each into place.

A failure of any kind leaves the previous outputs as they were and removes the staging folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path, PurePosixPath

from galley.errors import ToolError
from galley.project import Project
from galley.steps import workdir
from galley.steps.config import Step
from galley.steps.workdir import Signature
from galley.tools import tail

STDERR_TAIL = 20
OUTPUT_ROOT_VARIABLE = "GALLEY_OUTPUT_ROOT"
# Set for every step, here and in the Snakefile galley exports: the same bytes from the same data.
STEP_ENVIRONMENT = {"PYTHONHASHSEED": "0"}
# Runs a notebook's code (written to a file by `_notebook_code`) as a script would run: named
# after the notebook in tracebacks, with the notebook's folder first on sys.path.
NOTEBOOK_BOOTSTRAP = (
    "import os, sys\n"
    "notebook, code = sys.argv[1], sys.argv[2]\n"
    "sys.argv = [notebook]\n"
    "sys.path.insert(0, os.path.dirname(os.path.abspath(notebook)))\n"
    "source = open(code, encoding='utf-8').read()\n"
    "exec(compile(source, notebook, 'exec'), {'__name__': '__main__', '__file__': notebook})\n"
)


def command(step: Step) -> list[str]:
    """The command as the manifest shows it (the notebook case runs its code cells)."""
    return ["python", step.script]


def _notebook_code(project: Project, step: Step, dest: Path) -> None:
    try:
        from galley.steps.nb import code_cells  # nbformat is slow to import: only for notebooks

        cells = code_cells(project.root / step.script)
    except Exception as exc:  # nbformat raises several unrelated types for a bad file
        raise ToolError(
            f"step `{step.name}`: cannot read the notebook: {exc}; open and re-save it in Jupyter",
            path=step.script,
        ) from None
    dest.write_text("\n\n".join(cells) + "\n", encoding="utf-8")


def _argv(project: Project, step: Step, stage: Path) -> list[str]:
    script = project.root / step.script
    if not step.is_notebook:
        return [sys.executable, str(script)]
    code = stage / "notebook_code.py"
    _notebook_code(project, step, code)
    return [sys.executable, "-c", NOTEBOOK_BOOTSTRAP, str(script), str(code)]


def _tail(text: str) -> str:
    lines = tail(text, STDERR_TAIL).split("\n")
    return "\n".join("    " + line for line in lines) if text.strip() else "    (stderr was empty)"


def _check_outputs(step: Step, out: Path) -> None:
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    for path in written:
        if path not in step.outputs:
            raise ToolError(
                f"step `{step.name}` wrote undeclared output `{path}`; declare it in outputs "
                f"of [tool.galley.steps.{step.name}] in pyproject.toml, or stop writing it",
                path=step.script,
            )
    for path in step.outputs:
        if path not in written:
            raise ToolError(
                f"step `{step.name}` did not write its declared output `{path}`; write it under "
                f"${OUTPUT_ROOT_VARIABLE} or remove it from outputs in pyproject.toml",
                path=step.script,
            )


def _check_direct_writes(
    step: Step, work: Path, before: dict[str, Signature], after: dict[str, Signature]
) -> None:
    stray = workdir.written_files(work)
    if stray:
        shown = ", ".join(f"`{p}`" for p in stray[:5]) + (
            f" and {len(stray) - 5} more" if len(stray) > 5 else ""
        )
        raise ToolError(
            f"step `{step.name}` wrote {shown} in its working folder, not under "
            f"${OUTPUT_ROOT_VARIABLE} (galley runs each step in a folder of its own: nothing "
            "reached the project); write outputs under that folder and declare them in `outputs`",
            path=step.script,
        )
    changed = [output for output in step.outputs if before[output] != after[output]]
    if changed:
        raise ToolError(
            f"step `{step.name}` wrote `{changed[0]}` into the project directly, not under "
            f"${OUTPUT_ROOT_VARIABLE}; write outputs under that folder and declare them in "
            "`outputs`",
            path=step.script,
        )


def run_step(project: Project, step: Step, folders: set[PurePosixPath]) -> float:
    """Run `step` in a working folder of its own (`folders`: every step's output folders), move
    its outputs into place, and return how long the script took (s)."""
    tmp_root = project.cache_dir / "tmp"
    tmp_root.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=tmp_root, prefix=f"step-{step.name}-"))
    try:
        out = stage / "out"
        for path in step.outputs:  # the folders, for convenience; the files are the script's
            (out / path).parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, OUTPUT_ROOT_VARIABLE: str(out), **STEP_ENVIRONMENT}
        work = stage / "work"
        workdir.prepare(project, step, folders, work)
        before = workdir.signatures(project, step)
        started = time.perf_counter()
        try:
            done = subprocess.run(
                _argv(project, step, stage),
                cwd=work,
                env=env,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=step.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            stderr = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else ""
            raise ToolError(
                f"step `{step.name}` timed out after {step.timeout:g} s and was stopped; "
                f"previous outputs are unchanged. Last lines of stderr:\n{_tail(stderr or '')}\n"
                "Make the script faster or raise `timeout` in pyproject.toml",
                path=step.script,
            ) from None
        duration = time.perf_counter() - started
        if done.returncode != 0:
            raise ToolError(
                f"step `{step.name}` failed: `python {step.script}` exited with code "
                f"{done.returncode}; previous outputs are unchanged. Last lines of stderr:\n"
                f"{_tail(done.stderr)}",
                path=step.script,
            )
        _check_direct_writes(step, work, before, workdir.signatures(project, step))
        _check_outputs(step, out)
        for path in step.outputs:
            target = project.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(out / path, target)
        return duration
    finally:
        shutil.rmtree(stage, ignore_errors=True)
