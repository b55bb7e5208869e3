"""The order of steps, read from their declarations: a step that reads a file another step writes
runs after it. Independent steps run side by side, as many as the machine has cores (or `-j N`)."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from graphlib import CycleError, TopologicalSorter

from galley.errors import ConfigError
from galley.steps.config import PYPROJECT, Step


def core_count() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the
    machine has): the default number of steps run at once."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


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


def run_in_order(steps: dict[str, Step], job: Callable[[Step], None], workers: int) -> None:
    """Call `job` for every step, dependencies first, on at most `workers` cores at a time: a
    step declaring `threads` takes that many (all of them, if it asks for more). Ready steps start
    in name order as cores free up. The first exception stops new steps from starting; steps
    already running finish, then it is raised."""
    sorter = _sorter(steps)
    failure: BaseException | None = None
    running: dict[Future[None], str] = {}
    waiting: list[str] = []
    free = workers

    def cores(name: str) -> int:
        return min(steps[name].resources.threads or 1, workers)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        while failure is None and (sorter.is_active() or waiting):
            waiting = sorted({*waiting, *sorter.get_ready()})
            while waiting and cores(waiting[0]) <= free:
                name = waiting.pop(0)
                free -= cores(name)
                running[pool.submit(job, steps[name])] = name
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: running[f]):
                name = running.pop(future)
                free += cores(name)
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
