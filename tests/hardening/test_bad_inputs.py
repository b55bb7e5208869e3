"""The catalogue of bad inputs: each gives one clear message (file, line where there is one,
what to do), a non-zero exit code and no traceback. The README's error table lists them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.hardening.conftest import ARTICLE, BIB, QUARTO, make_project, run

STEP = """\
[tool.galley.steps.fig]
script = "scripts/step.py"
outputs = ["figures/out.txt"]
timeout = {timeout}
"""
WRITE_OUTPUT = (
    "import os, pathlib\n"
    "out = pathlib.Path(os.environ['GALLEY_OUTPUT_ROOT'], 'figures')\n"
    "out.mkdir(parents=True, exist_ok=True)\n"
    "(out / 'out.txt').write_text('ok')\n"
)
DATAPACKAGE = """\
{"resources": [{"path": "values.csv", "schema": {"fields": [
  {"name": "year", "type": "year"}, {"name": "value", "type": "number"}]}}]}
"""


def steps(script: str, timeout: float = 60) -> dict[str, str | bytes]:
    return {"pyproject.toml": STEP.format(timeout=timeout), "scripts/step.py": script}


@dataclass
class Case:
    files: dict[str, str | bytes]
    message: str  # the first line of stderr, `{root}` standing for the project folder
    code: int = 1
    args: tuple[str, ...] = ("build",)
    env: dict[str, str] = field(default_factory=dict)


def _typst_stub(tmp: Path) -> dict[str, str]:
    stub = tmp / "stub" / "typst"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text("raise ImportError('No module named typst')\n")
    return {"PYTHONPATH": str(stub.parent)}


CASES = {
    "quarto-yml-syntax": Case(
        {"_quarto.yml": "project:\n  type: manuscript\nformat: [html\n"},
        "{root}/_quarto.yml:4: invalid YAML: expected ',' or ']', but got '<stream end>'",
        code=2,
    ),
    "unknown-galley-key": Case(
        {"pyproject.toml": "[tool.galley]\nstepz = 1\n"},
        "pyproject.toml:2: [tool.galley] has an unknown key `stepz`; known keys: steps, check, links",
        code=2,
    ),
    "unknown-step-key": Case(
        {
            "pyproject.toml": STEP.format(timeout=5) + "outptus = []\n",
            "scripts/step.py": WRITE_OUTPUT,
        },
        "pyproject.toml:1: [tool.galley.steps.fig]: unknown key `outptus`; "
        "the known keys are script, inputs, outputs, env, timeout, resources, container",
        code=2,
    ),
    "unknown-check-key": Case(
        {"pyproject.toml": "[tool.galley.check]\ndisabel = []\n"},
        "pyproject.toml: [tool.galley.check] has an unknown key `disabel`; "
        "known keys: disable, exclude",
        code=2,
    ),
    "unknown-links-key": Case(
        {"pyproject.toml": "[tool.galley.links]\ntimout = 3\n"},
        "pyproject.toml: [tool.galley.links] has an unknown key `timout`; known keys: "
        "concurrency, deadline, delay, doi-resolver, exclude, hosts, max-bytes, max-redirects, "
        "per-host, retries, timeout, ttl",
        code=2,
    ),
    "missing-article": Case(
        {"_quarto.yml": "manuscript:\n  article: paper.qmd\n"},
        "{root}/_quarto.yml: the article `paper.qmd` named by `manuscript: article:` does not exist",
        code=2,
    ),
    "missing-bibliography": Case(
        {"_quarto.yml": "manuscript:\n  article: index.qmd\nbibliography: missing.bib\n"},
        "{root}/_quarto.yml: bibliography `missing.bib` named in _quarto.yml does not exist",
        code=2,
    ),
    "bib-unclosed-brace": Case(
        {"refs.bib": "@misc{a, title = {A}}\n\n@book{b,\n  title = {Open\n\n@misc{c,}\n"},
        "refs.bib:3: this block does not parse: Unexpected block start: `@misc`. Was still "
        "looking for field-value closing `}`; check braces, quotes and the commas between "
        "fields; then build again",
    ),
    "bib-string-loop": Case(
        {"refs.bib": "@string{jn = jt}\n@string{jt = jn}\n@misc{a, title = {A}, journal = jn}\n"},
        "refs.bib:1: @string `jn` uses `jt`, which no earlier @string defines (BibTeX reads "
        "strings in order, so this is a typo, or a loop if they refer to each other); define "
        "`jt` above it, or write the value in braces: {...}",
    ),
    "bib-latin-1": Case(
        {"refs.bib": "@misc{a,\n  title = {Caf\xe9}\n}\n".encode("latin-1")},
        "refs.bib:2: the file is not UTF-8: byte 0xe9 in column 15 is not valid UTF-8; save "
        "the file as UTF-8 (in most editors: Save with Encoding, UTF-8)",
        code=2,
    ),
    "bib-utf-16": Case(
        {"refs.bib": BIB.encode("utf-16")},
        "refs.bib: the file is UTF-16, not UTF-8; save it as UTF-8 (in most editors: Save "
        "with Encoding, UTF-8)",
        code=2,
    ),
    "qmd-latin-1": Case(
        {"index.qmd": "---\ntitle: T\n---\n\nCaf\xe9 [@a].\n".encode("latin-1")},
        "index.qmd:5: the file is not UTF-8: byte 0xe9 in column 4 is not valid UTF-8; save "
        "the file as UTF-8 (in most editors: Save with Encoding, UTF-8)",
    ),
    "qmd-utf-16": Case(
        {"index.qmd": ARTICLE.encode("utf-16")},
        "index.qmd: the file is UTF-16, not UTF-8; save it as UTF-8 (in most editors: Save "
        "with Encoding, UTF-8)",
    ),
    "include-cycle": Case(
        {
            "index.qmd": ARTICLE + "\n{{< include part.qmd >}}\n",
            "part.qmd": "Part.\n\n{{< include index.qmd >}}\n",
        },
        "part.qmd:3: include `index.qmd` includes itself (a cycle); remove this include, or the "
        "one that leads back to this file",
    ),
    "include-outside": Case(
        {"index.qmd": ARTICLE + "\n{{< include ../../etc/passwd >}}\n"},
        "index.qmd:7: include `../../etc/passwd` points outside the project; copy the file "
        "into the project",
    ),
    # One the author writes is a draft's warning (tests/render/test_outside_project.py).
    "image-outside-from-front-matter": Case(
        {
            "index.qmd": ARTICLE.replace("---\n\n", "figure: ../../outside.png\n---\n\n")
            + "\n![A figure]({{< meta figure >}})\n"
        },
        "index.qmd:8: image `../../outside.png` lies outside the project; copy it into the project",
    ),
    "step-script-missing": Case(
        {"pyproject.toml": STEP.format(timeout=5)},
        "pyproject.toml:1: [tool.galley.steps.fig]: script `scripts/step.py` does not exist; "
        "create it or fix the path",
        code=2,
    ),
    "step-exits-non-zero": Case(
        steps("import sys\nprint('no data for 2024', file=sys.stderr)\nsys.exit(4)\n"),
        "scripts/step.py: step `fig` failed: `python scripts/step.py` exited with code 4; "
        "previous outputs are unchanged. Last lines of stderr:",
    ),
    "step-hangs": Case(
        steps("import time\ntime.sleep(60)\n", timeout=1),
        "scripts/step.py: step `fig` timed out after 1 s and was stopped; previous outputs "
        "are unchanged. Last lines of stderr:",
    ),
    "step-writes-undeclared": Case(
        steps(WRITE_OUTPUT + "(out / 'extra.png').write_text('x')\n"),
        "scripts/step.py: step `fig` wrote undeclared output `figures/extra.png`; declare it "
        "in outputs of [tool.galley.steps.fig] in pyproject.toml, or stop writing it",
    ),
    "step-prints-megabytes": Case(
        steps(
            "import sys\nsys.stdout.write('x' * 8_000_000)\nsys.stderr.write('y' * 8_000_000)\nsys.exit(1)\n"
        ),
        "scripts/step.py: step `fig` failed: `python scripts/step.py` exited with code 1; "
        "previous outputs are unchanged. Last lines of stderr:",
    ),
    "data-bad-row": Case(
        {
            "data/datapackage.json": DATAPACKAGE,
            "data/values.csv": "year,value\n2020,1.5\n2021,lots\n",
            **steps(WRITE_OUTPUT),
        },
        'data/values.csv:3: column value: "lots" is not a number',
    ),
    "pandoc-missing": Case(
        {},
        "pandoc is not available: PYPANDOC_PANDOC is set to `/nonexistent/pandoc`, which is "
        "not a working pandoc; fix that path or unset PYPANDOC_PANDOC",
        env={"PYPANDOC_PANDOC": "/nonexistent/pandoc"},
    ),
    "typst-missing": Case(
        {"_quarto.yml": QUARTO.replace("html: default", "typst: default")},
        "Typst is not available, and the PDF needs it: install it with `pip install typst` "
        "(or `pip install -e .` in galley's folder)",
        env={"PYTHONPATH": "{stub}"},
    ),
    "quarto-missing": Case(
        {},
        "`--engine quarto` asked for Quarto, but `quarto` is not on PATH; install it "
        "(https://quarto.org, or `pip install '.[quarto]'` where GitHub is reachable) or use "
        "`--engine pandoc`",
        args=("build", "--engine", "quarto"),
        env={"PATH": "{empty}"},
    ),
    "output-folder-is-a-file": Case(
        {"_manuscript": "not a folder\n"},
        "_manuscript: the output folder is a file; move or delete it, or choose another "
        "folder with `project: output-dir:` in _quarto.yml",
    ),
}


def _environment(case: Case, tmp_path: Path) -> dict[str, str]:
    values = {"stub": "", "empty": str(tmp_path / "empty-bin")}
    if "{stub}" in case.env.get("PYTHONPATH", ""):
        values["stub"] = _typst_stub(tmp_path)["PYTHONPATH"]
    return {name: value.format(**values) for name, value in case.env.items()}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_gives_one_clear_message(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    root = make_project(tmp_path / "project", case.files)
    result = run(*case.args, cwd=root, env=_environment(case, tmp_path))
    assert "Traceback" not in result.stderr
    assert result.returncode == case.code, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("galley: error:")]
    assert errors == [f"galley: error: {case.message.replace('{root}', str(root))}"], result.stderr
    assert len(result.stderr) < 5_000  # a tail of the tool's output, never all of it


ENTRY = """@article{key{n},
  author  = {Wendt, Alexander and Paris, Roland},
  title   = {Anarchy is What States Make of It, part {n}},
  journal = {International Organization},
  year    = {1992},
  pages   = {391--425},
  doi     = {10.1017/S0020818300027764}
}
"""


@pytest.mark.slow
def test_a_50_mb_bibliography_renders_only_its_cited_entries(tmp_path: Path) -> None:
    entries = "".join(ENTRY.replace("{n}", str(n)) for n in range(210_000))
    assert len(entries) > 50 * 2**20
    quarto = QUARTO.replace("html: default", "html: default\n  docx: default\n  typst: default")
    root = make_project(tmp_path / "project", {"refs.bib": entries + BIB, "_quarto.yml": quarto})
    # pandoc given the whole file takes minutes and 8 GB per format: the timeout guards the cut.
    result = run("build", cwd=root, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Doe" in (root / "_manuscript" / "index.html").read_text(encoding="utf-8")
    assert not list((root / ".galley" / "tmp").iterdir())


def test_a_large_bibliography_is_checked_and_only_cited_entries_are_formatted(
    tmp_path: Path,
) -> None:
    entries = "".join(
        f"@book{{key{n},\n  author = {{Writer{n}, Carl}},\n  title = {{Book {n}}},\n"
        f"  publisher = {{Press}},\n  year = {{{1950 + n % 70}}}\n}}\n\n"
        for n in range(30_000)
    )
    planted = (
        "@article{planted,\n  author = {Doe, Jane},\n  title = {No Journal},\n  year = 2001\n}\n"
    )
    assert len(entries) > 3 * 2**20
    article = ARTICLE.replace("[@a]", "[@a; @key29999; @planted]")
    root = make_project(
        tmp_path / "project", {"refs.bib": BIB + entries + planted, "index.qmd": article}
    )
    # Formatting all 30,000 with citeproc-py takes minutes: the timeout guards the cut.
    result = run("check", "--offline", "--format", "json", cwd=root, timeout=300)
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    line = (BIB + entries).count("\n") + 1
    assert [
        (f["rule"], f["line"], f["message"]) for f in findings if f["rule"] != "unused-entry"
    ] == [("missing-field", line, "@article entry `planted` has no `journal` or `journaltitle`")]
    assert len(findings) == 1 + 29_999  # the uncited entries
    cache = json.loads((root / ".galley" / "cache" / "citeproc.json").read_text())
    assert len(cache) == 3  # pandoc and citeproc-py saw only the cited entries


def test_a_cited_only_bibliography_keeps_lines_strings_and_parents() -> None:
    from galley.reading.bibliography_cut import cited_only

    text = (
        "@string{io = {International Organization}}\n"
        "@misc{uncited,\n  title = {U}\n}\n"
        "@inbook{child, crossref = {parent},\n  title = {C}}\n"
        "@book{parent,\n  title = {P}, journal = io}\n"
        "@misc{cited, title = {K}}\n"
    )
    kept = cited_only(text, {"child", "cited"})
    assert kept.count("\n") == text.count("\n")
    assert "uncited" not in kept
    assert all(part in kept for part in ("@string{io", "@inbook{child", "@book{parent", "{K}"))
