"""`[tool.galley.steps]` as a Snakefile: one rule per step, with its script, inputs, outputs,
resources and container, and a default rule `all` that asks for every output.

Each rule runs its step as galley's runner does: the script with `GALLEY_OUTPUT_ROOT` and
`PYTHONHASHSEED` set (galley.steps.runner.step_environment), a notebook's code in a Jupyter
kernel started in the project folder. Outputs are written in place, where Snakemake expects them.
The job then records the SHA-256 of its script, inputs and outputs (steps.snakemake_records),
so that `galley build` takes them without running the step again.

Every value written into the Snakefile is a Python string literal (json.dumps) or a whole number,
and reaches the shell only through Snakemake's quoting (`{input.script:q}`), so no step
declaration can add code to the workflow.
"""

from __future__ import annotations

import json
import keyword
import re
import shlex
from pathlib import Path, PurePosixPath

from galley.errors import ConfigError
from galley.project import Project
from galley.steps.config import PYPROJECT, Step
from galley.steps.graph import order
from galley.steps.runner import OUTPUT_ROOT_VARIABLE, STEP_ENVIRONMENT
from galley.steps.snakemake_records import FORMAT, RECORD_DIR, executed_path, record_path

MARKER = "# Written by `galley export snakemake`"
DEFAULT_OUTPUT = "workflow/Snakefile"
# Where an export may be: where Snakemake looks for a Snakefile, and anything under workflow/
# (an `--output workflow/galley.smk` to include from the author's own).
ROOT_SNAKEFILES = ("Snakefile", "snakefile")
WORKFLOW_DIR = "workflow"
# The rule asking for every output: the first, so the default target when this file is the
# Snakefile; named so that it does not clash with an author's `rule all` that includes this file.
TARGET_RULE = "galley_all"
HEADER = f"""{MARKER} from [tool.galley.steps] in pyproject.toml; galley
# rewrites this file on each export, so change the steps there, not here.
# Run it from the project folder: snakemake --cores all
# (or, from a Snakefile that includes this file: snakemake --cores all {TARGET_RULE})
#
# Each rule runs one step: its script writes under ${OUTPUT_ROOT_VARIABLE} (the project folder
# here), then the job records the SHA-256 of the script, inputs and outputs in
# {RECORD_DIR}/<step>.json, by which `galley build` takes the outputs as made.
"""

# Run in the job's Python after the script: argv is the record's path, the number of inputs and
# of outputs, the script, the inputs, the outputs and, for a notebook, its executed copy; it
# writes the SHA-256 of each, by role.
RECORD_PROGRAM = f"""
import hashlib, json, pathlib, sys
record, inputs, outputs = pathlib.Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
script, files = sys.argv[4], sys.argv[5:]
def sha(path):
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()
data = {{"format": {FORMAT}, "script": {{script: sha(script)}}}}
data["inputs"] = {{p: sha(p) for p in files[:inputs]}}
data["outputs"] = {{p: sha(p) for p in files[inputs:inputs + outputs]}}
data.update({{"executed": sha(p) for p in files[inputs + outputs:]}})
record.parent.mkdir(parents=True, exist_ok=True)
record.write_text(json.dumps(data, indent=2) + "\\n")
"""

# A notebook step, as galley's runner runs it: its cells in a Jupyter kernel (nbclient) started
# in the project folder, no timestamps; the executed copy, outputs included, goes where galley
# keeps it for the reviewer notebook. The notebook itself is not rewritten.
NOTEBOOK_PROGRAM = """
import pathlib, sys, nbclient, nbformat
notebook = nbformat.read(sys.argv[1], as_version=4)
client = nbclient.NotebookClient(
    notebook, kernel_name="python3", record_timing=False, resources={"metadata": {"path": "."}}
)
client.execute()
nbformat.write(notebook, pathlib.Path(sys.argv[2]))
"""


def rule_names(steps: dict[str, Step]) -> dict[str, str]:
    """A Snakemake rule name (a Python identifier, not TARGET_RULE) for each step, unique."""
    names: dict[str, str] = {}
    taken = {TARGET_RULE}
    for step in sorted(steps):
        base = re.sub(r"\W", "_", step)
        if not base.isidentifier() or keyword.iskeyword(base) or base in taken:
            base = f"step_{base}"
        name, number = base, 2
        while name in taken:
            name, number = f"{base}_{number}", number + 1
        names[step] = name
        taken.add(name)
    return names


def _literal(path: str) -> str:
    return json.dumps(path)


def _list(paths: tuple[str, ...]) -> str:
    return "[" + ", ".join(_literal(p) for p in paths) + "]"


def _check_paths(step: Step) -> None:
    """Snakemake reads `{name}` in a path as a wildcard, and a doubled brace does not escape it
    everywhere (an output is then refused), so such a path cannot be exported faithfully."""
    for path in (step.script, *step.inputs, *step.outputs):
        if "{" in path or "}" in path:
            raise ConfigError(
                f"[tool.galley.steps.{step.name}]: `{path}` has a brace, which Snakemake reads "
                "as a wildcard; rename the file without `{` and `}` to export this step",
                path=PYPROJECT,
            )


def _shell(step: Step) -> str:
    variables = {OUTPUT_ROOT_VARIABLE: '"$PWD"', **STEP_ENVIRONMENT}
    run, executed = "python {input.script:q}", ""
    if step.is_notebook:
        # The notebook's folder on the kernel's path, as a script's folder is on a script's.
        folder = PurePosixPath(step.script).parent.as_posix()
        variables["PYTHONPATH"] = '"$PWD"' + ("" if folder == "." else "/" + shlex.quote(folder))
        run, executed = (
            "python -c {NOTEBOOK_PROGRAM:q} {input.script:q} {output.executed:q}",
            (" {output.executed:q}"),
        )
    assignments = " ".join(f"{name}={value}" for name, value in variables.items())
    record = (
        f"python -c {{RECORD_PROGRAM:q}} {{output.record:q}} {len(step.inputs)} "
        f"{len(step.outputs)} {{input.script:q}} {{input.data:q}} {{output.files:q}}{executed}"
    )
    return json.dumps(f"{assignments} {run} && {record}")


def _rule(step: Step, name: str) -> str:
    lines = [
        f"# step `{step.name}`",
        f"rule {name}:",
        "    input:",
        f"        script={_literal(step.script)},",
        f"        data={_list(step.inputs)},",
        "    output:",
        f"        files={_list(step.outputs)},",
        f"        record={_literal(record_path(step))},",
    ]
    if step.is_notebook:
        lines.append(f"        executed={_literal(executed_path(step))},")
    declared = step.resources.declared()
    if "threads" in declared:
        lines.append(f"    threads: {declared.pop('threads')}")
    if declared:
        lines.append("    resources:")
        lines += [f"        {key}={amount}," for key, amount in declared.items()]
    if step.container:
        lines.append(f"    container: {json.dumps(step.container)}")
    lines += ["    shell:", f"        {_shell(step)}"]
    return "\n".join(lines) + "\n"


def snakefile(steps: dict[str, Step]) -> str:
    """The Snakefile's text for `steps`, rules in build order."""
    for step in steps.values():
        _check_paths(step)
    names = rule_names(steps)
    build_order = order(steps)
    targets = [p for name in build_order for p in (*steps[name].outputs, record_path(steps[name]))]
    # Raw triple-quoted, to read as the code it is (galley's own constants: no quotes inside).
    programs = [f"RECORD_PROGRAM = r'''{RECORD_PROGRAM}'''"]
    if any(step.is_notebook for step in steps.values()):
        programs.append(f"NOTEBOOK_PROGRAM = r'''{NOTEBOOK_PROGRAM}'''")
    parts = [
        HEADER,
        "\n".join(programs),
        f"rule {TARGET_RULE}:\n    input:\n"
        + "".join(f"        {_literal(t)},\n" for t in targets),
        *(_rule(steps[name], names[name]) for name in build_order),
    ]
    return "\n\n".join(part.rstrip("\n") + "\n" for part in parts).rstrip("\n") + "\n"


def _exports(project: Project) -> list[Path]:
    """The files `galley export snakemake` wrote, where an export may be."""
    candidates = [project.root / name for name in ROOT_SNAKEFILES]
    workflow = project.root / WORKFLOW_DIR
    if workflow.is_dir():
        candidates += sorted(p for p in workflow.rglob("*") if p.is_file())
    exports = []
    for path in candidates:
        try:
            with path.open(encoding="utf-8", errors="replace") as handle:
                if handle.read(len(MARKER)) == MARKER:
                    exports.append(path)
        except OSError:
            continue  # not a file galley wrote, or not one it can read: not galley's to judge
    return exports


def stale_exports(project: Project, steps: dict[str, Step]) -> list[str]:
    """The warning for each exported Snakefile whose rules are no longer [tool.galley.steps]'s
    (its text; the caller says how to show it): Snakemake would run the old rules, and the
    build would then redo their steps."""
    exports = _exports(project)
    if not exports:
        return []
    try:
        current = snakefile(steps) if steps else None
    except ConfigError:
        current = None  # steps that cannot be exported now: any earlier export is out of date
    warnings = []
    for path in exports:
        if path.read_text(encoding="utf-8", errors="replace") == current:
            continue
        rel = project.rel(path)
        again = "" if rel == DEFAULT_OUTPUT else f" --output {shlex.quote(rel)}"
        warnings.append(
            f"{rel} no longer matches [tool.galley.steps] in {PYPROJECT}, so "
            f"Snakemake would run the old rules; run `galley export snakemake{again}` to write "
            "it again"
        )
    return warnings
