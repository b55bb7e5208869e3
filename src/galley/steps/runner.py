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
from galley.util.tools import tail

STDERR_TAIL = 20
OUTPUT_ROOT_VARIABLE = "GALLEY_OUTPUT_ROOT"
# Set for every step, here and in the Snakefile galley exports: the same bytes from the same data.
STEP_ENVIRONMENT = {"PYTHONHASHSEED": "0"}


def command(step: Step) -> list[str]:
    """The command as the manifest shows it: what a reviewer runs in the project folder."""
    return ["jupyter", "execute", step.script] if step.is_notebook else ["python", step.script]


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


def _run_script(project: Project, step: Step, work: Path, env: dict[str, str]) -> None:
    try:
        done = subprocess.run(
            [sys.executable, str(project.root / step.script)],
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
    if done.returncode != 0:
        raise ToolError(
            f"step `{step.name}` failed: `python {step.script}` exited with code "
            f"{done.returncode}; previous outputs are unchanged. Last lines of stderr:\n"
            f"{_tail(done.stderr)}",
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
        executed = None
        if step.is_notebook:
            from galley.steps import nb  # nbclient is slow to import: only for notebooks

            executed = nb.execute(project, step, work, env)
        else:
            _run_script(project, step, work, env)
        duration = time.perf_counter() - started
        _check_direct_writes(step, work, before, workdir.signatures(project, step))
        _check_outputs(step, out)
        for path in step.outputs:
            target = project.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(out / path, target)
        if executed is not None:
            nb.keep_executed(project, step, executed)
        return duration
    finally:
        shutil.rmtree(stage, ignore_errors=True)
