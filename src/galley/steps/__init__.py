"""Data steps: scripts that turn the project's data into figures, tables and variables.

The public API the build and status commands use: `run_steps`, `stale_steps`,
`stale_exports` and `source_notes`; the manifest and reviewer notebooks are
`galley.steps.provenance.write_provenance`, loaded only when a build renders.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from galley.project import Project
from galley.steps.cache import StepCache, record, stale_reason
from galley.steps.config import Step, load_steps
from galley.steps.data import validate_data
from galley.steps.digests import Digests
from galley.steps.graph import core_count, dependencies, order, run_in_order
from galley.steps.runner import run_step
from galley.steps.snakefile import stale_exports
from galley.steps.snakemake_records import snakemake_record
from galley.steps.workdir import output_folders
from galley.util import notices

if TYPE_CHECKING:
    from galley.steps.notes import SourceNote

__all__ = [
    "SourceNote",
    "StepOutcome",
    "StepsReport",
    "run_steps",
    "source_notes",
    "stale_exports",
    "stale_steps",
]


class StepOutcome(NamedTuple):
    name: str
    ran: bool
    reason: str  # why it ran, or "up to date"
    duration: float | None  # seconds the script took; None when cached


@dataclass
class StepsReport:
    outcomes: list[StepOutcome] = field(default_factory=list)

    @property
    def ran(self) -> list[str]:
        return [o.name for o in self.outcomes if o.ran]

    @property
    def skipped(self) -> list[str]:
        return [o.name for o in self.outcomes if not o.ran]

    def outcome(self, name: str) -> StepOutcome | None:
        return next((o for o in self.outcomes if o.name == name), None)


MADE_BY = "made_by"  # in a step's cache record: "snakemake" when galley took its outputs


def _stale(
    project: Project, cache: StepCache, step: Step, digests: Digests
) -> tuple[str | None, dict[str, Any]]:
    """Why the step must run (None: it need not), and the record to store when galley takes
    outputs a Snakemake job made from exactly the current files (galley.steps.snakemake_records);
    otherwise {}. galley's own record, when it still holds, comes first."""
    current = record(project, step, digests)
    previous = cache.get(step.name)
    reason = stale_reason(previous, current, step)
    made = snakemake_record(project, step, current["env"]) if reason is not None else None
    if made is None:
        return reason, {}
    since_snakemake = stale_reason(made, current, step)
    if since_snakemake is None:
        return None, {**current, MADE_BY: "snakemake"}
    return (reason if previous is not None else since_snakemake), {}


def run_steps(
    project: Project,
    *,
    force: bool = False,
    log: Callable[[str], None] = print,
    jobs: int | None = None,
) -> StepsReport:
    """Check the data, then run every stale step (all of them with `force`), dependencies
    first, `jobs` at a time (default: one per core). Each success is recorded at once, so a later
    failure does not redo it next time. Log lines are whole lines, whatever runs at once."""
    steps = load_steps(project)
    order(steps)  # refuses a cycle before anything runs
    validate_data(project)
    for warning in stale_exports(project, steps):
        notices.say(notices.PREFIX + warning)
    cache = StepCache(project)
    digests = Digests(project)
    report = StepsReport()
    lock = threading.Lock()
    folders = output_folders([output for step in steps.values() for output in step.outputs])

    def say(message: str) -> None:
        with lock:
            log(message)

    def job(step: Step) -> None:
        reason, adopted = (
            ("forced (--force)", {}) if force else _stale(project, cache, step, digests)
        )
        if reason is None:
            with lock:
                if adopted:
                    cache.put(step.name, adopted)
                    cache.save()
                    log(f"galley: step `{step.name}` is up to date (made by Snakemake)")
                made_by = (cache.get(step.name) or {}).get(MADE_BY)
                why = "made by Snakemake" if made_by == "snakemake" else "up to date"
                report.outcomes.append(StepOutcome(step.name, False, why, None))
            return
        say(f"galley: running step `{step.name}` ({reason})")
        duration = run_step(project, step, folders)
        say(f"galley: step `{step.name}` done in {duration:.2f} s")
        with lock:
            cache.put(step.name, record(project, step, digests))
            cache.save()
            report.outcomes.append(StepOutcome(step.name, True, reason, duration))

    try:
        run_in_order(steps, job, jobs or core_count())
    finally:
        digests.save()
    rank = {name: i for i, name in enumerate(order(steps))}
    report.outcomes.sort(key=lambda o: rank[o.name])
    return report


def stale_steps(project: Project) -> list[tuple[str, str]]:
    """(step, reason) for every step a build would run, in build order. A step downstream of a
    stale one is listed too, since its inputs are about to change."""
    steps = load_steps(project)
    cache = StepCache(project)
    digests = Digests(project)
    needs = dependencies(steps)
    stale: dict[str, str] = {}
    for name in order(steps):
        step = steps[name]
        reason, _ = _stale(project, cache, step, digests)
        upstream = sorted(needs[name] & set(stale))
        if reason is None and upstream:
            reason = f"depends on stale step `{upstream[0]}`"
        if reason is not None:
            stale[name] = reason
    return list(stale.items())


def source_notes(project: Project) -> dict[str, SourceNote]:
    from galley.steps import notes

    return notes.source_notes(project)
