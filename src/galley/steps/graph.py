"""The order of steps, read from their declarations: a step that reads a file another step writes
runs after it. Independent steps run side by side."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from graphlib import CycleError, TopologicalSorter

from galley.errors import ConfigError
from galley.steps.config import PYPROJECT, Step

WORKERS = 2


def dependencies(steps: dict[str, Step]) -> dict[str, set[str]]:
    """For each step, the steps that write one of its inputs or its script."""
    writers = {path: step.name for step in steps.values() for path in step.outputs}
    return {
        step.name: {writers[p] for p in (step.script, *step.inputs) if p in writers}
        for step in steps.values()
    }


def _sorter(steps: dict[str, Step]) -> TopologicalSorter[str]:
    sorter = TopologicalSorter(dependencies(steps))
    try:
        sorter.prepare()
    except CycleError as exc:
        cycle = " -> ".join(f"`{name}`" for name in exc.args[1])
        raise ConfigError(
            f"[tool.galley.steps]: the steps form a cycle ({cycle}): each reads a file the next "
            "one writes; remove one of those inputs",
            path=PYPROJECT,
        ) from None
    return sorter


def order(steps: dict[str, Step]) -> list[str]:
    """All step names, every step after the steps it depends on; ties in name order."""
    sorter = _sorter(steps)
    result: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        result += ready
        sorter.done(*ready)
    return result


def run_in_order(steps: dict[str, Step], job: Callable[[Step], None]) -> None:
    """Call `job` for every step, dependencies first, at most WORKERS at a time. The first
    exception stops new steps from starting; steps already running finish, then it is raised."""
    sorter = _sorter(steps)
    failure: BaseException | None = None
    running: dict[Future[None], str] = {}
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        while failure is None and sorter.is_active():
            for name in sorted(sorter.get_ready()):
                running[pool.submit(job, steps[name])] = name
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: running[f]):
                name = running.pop(future)
                error = future.exception()
                if error is not None:
                    failure = failure or error
                else:
                    sorter.done(name)
        wait(running)
        for future in running:
            failure = failure or future.exception()
    if failure is not None:
        raise failure
