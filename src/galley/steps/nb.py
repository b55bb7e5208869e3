"""Notebook steps, run by Jupyter's own executor (nbclient) with an IPython kernel, and the few
nbformat calls galley makes (nbformat and nbclient ship no type hints; both are slow imports,
made only when a notebook is read or run).

The kernel is always the ipykernel of galley's own Python, whatever kernels the user has
installed or the notebook names, so a step runs with the packages galley runs with. It starts
in the step's working folder with the step's environment (GALLEY_OUTPUT_ROOT), the notebook's
own folder on `sys.path` as for a script. The executed notebook, outputs included, is kept in
the cache for the reviewer notebook (galley.steps.provenance).
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING

from galley.errors import ToolError
from galley.project import Project
from galley.steps.cache import executed_notebook
from galley.steps.config import Step
from galley.steps.notebook_json import writes
from galley.util.atomic import write_text
from galley.util.tools import tail

if TYPE_CHECKING:
    from nbformat.notebooknode import NotebookNode

CELL_FILE = re.compile(r"\(\d+\.py, (line \d+)\)")


def read(path: Path, step: Step) -> NotebookNode:
    import nbformat

    try:
        return nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call,no-any-return]
    except Exception as exc:  # nbformat raises several unrelated types for a bad file
        raise ToolError(
            f"step `{step.name}`: cannot read the notebook: {exc}; open and re-save it in Jupyter",
            path=step.script,
        ) from None


def code_cells(path: Path) -> list[str]:
    """The source of each code cell, in order."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    return [str(cell.source) for cell in notebook.cells if cell.cell_type == "code"]


def _error_value(text: str) -> str:
    """The exception's first line, without the temporary file name IPython gives a cell's code
    in a SyntaxError ("invalid syntax (2090676429.py, line 1)")."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return CELL_FILE.sub(r"(\1)", first)


async def _execute(
    notebook: NotebookNode, step: Step, cwd: Path, env: dict[str, str], log: IO[bytes]
) -> None:
    import asyncio

    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError
    from traitlets import default

    class OwnPythonKernel(AsyncKernelManager):
        """ipykernel's built-in spec only: it starts `sys.executable -m ipykernel_launcher`."""

        @default("kernel_spec_manager")
        def _only_the_native_kernel(self) -> KernelSpecManager:
            return KernelSpecManager(kernel_dirs=[])

    running = 0  # the cell being run, counted from 1 over all the notebook's cells

    def starting(cell: NotebookNode, cell_index: int) -> None:
        nonlocal running
        running = cell_index + 1

    client = NotebookClient(
        notebook,
        kernel_name="python3",
        kernel_manager_class=OwnPythonKernel,
        record_timing=False,  # timestamps would make the reviewer notebook differ on every run
        shutdown_kernel="immediate",
        on_cell_execute=starting,
    )
    started = time.monotonic()
    try:
        run = client.async_execute(cwd=str(cwd), env=env, stderr=log)
        await asyncio.wait_for(run, step.timeout)
    except CellExecutionError as exc:
        raise ToolError(
            f"cell {running}: {exc.ename}: {_error_value(exc.evalue)}; fix the cell and build "
            f"again (step `{step.name}`; previous outputs are unchanged)",
            path=step.script,
        ) from None
    except (TimeoutError, DeadKernelError) as exc:
        # Stopping the kernel at the deadline can surface as its death rather than the timeout.
        where = f" in cell {running}" if running else " while its kernel started"
        if isinstance(exc, TimeoutError) or time.monotonic() - started >= step.timeout:
            raise ToolError(
                f"step `{step.name}` timed out after {step.timeout:g} s{where} and was stopped; "
                "previous outputs are unchanged. Make the notebook faster or raise `timeout` in "
                "pyproject.toml",
                path=step.script,
            ) from None
        log.seek(0)
        stderr = tail(log.read().decode(errors="replace")) or "(empty)"
        raise ToolError(
            f"step `{step.name}`: the notebook's kernel died{where} (a crash or an exit, not an "
            "exception); previous outputs are unchanged. Last lines of its stderr:\n    "
            + stderr.replace("\n", "\n    "),
            path=step.script,
        ) from None


def execute(project: Project, step: Step, cwd: Path, env: dict[str, str]) -> NotebookNode:
    """Run every cell of the step's notebook in `cwd` with `env` and return the notebook with its
    outputs; a failing cell raises with its number (1 = the notebook's first cell)."""
    import asyncio  # a slow import: only when a notebook runs, not for its reviewer notebook

    script = project.root / step.script
    notebook = read(script, step)
    path = os.pathsep.join(p for p in (str(script.parent), env.get("PYTHONPATH")) if p)
    # The kernel's own stderr (its warnings, a crash) goes to a file, not to galley's terminal;
    # what the cells print is in their outputs.
    with tempfile.TemporaryFile() as log:
        asyncio.run(_execute(notebook, step, cwd, {**env, "PYTHONPATH": path}, log))
    notebook.nbformat_minor = max(notebook.nbformat_minor, 5)  # 4.5: cells have ids
    for index, executed_cell in enumerate(notebook.cells):
        executed_cell["id"] = f"cell-{index}"  # fixed ids, so the notebook's bytes repeat
    return notebook


def keep_executed(project: Project, step: Step, notebook: NotebookNode) -> None:
    write_text(executed_notebook(project, step), writes(notebook) + "\n")


def read_executed(project: Project, step: Step) -> NotebookNode | None:
    """The notebook as the step's last run left it, or None before its first run."""
    path = executed_notebook(project, step)
    if not path.is_file():
        return None
    return read(path, step)
