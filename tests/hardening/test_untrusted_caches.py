"""Every cache is untrusted input: whatever a file under `.galley/` holds (random JSON, a valid
cache with one part replaced, nesting a hundred thousand deep), the reader that uses it gives the
answer it gives without the cache, and `galley build` and `galley check` exit 0, rebuilding.

Examples per property: 200 (the `ci` profile of tests/hardening/test_fuzz.py);
`HYPOTHESIS_PROFILE=long` runs 5000.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from galley.check.build_warnings import source_warnings
from galley.check.render import csl_items, unrenderable_entries
from galley.check.run import read_bibliographies
from galley.check.urls import _cached
from galley.engines.typst_values import _text_area
from galley.project import Project, load_project
from galley.reading.cites import pandoc_cites
from galley.reading.pandoc_reading import article_markdown
from galley.reading.sources import Source, load_source
from galley.rendering.preflight import check_bibliographies
from galley.rendering.render_cache import RenderCache
from galley.steps.cache import StepCache, record, stale_reason
from galley.steps.config import load_steps
from galley.steps.data import data_problems
from galley.steps.digests import Digests, sha256
from galley.steps.snakemake_records import snakemake_record
from galley.util import json_cache, notices
from galley.util.tools import pandoc_version
from tests.hardening.conftest import make_project, run
from tests.hardening.test_boundaries import PNG
from tests.hardening.test_fuzz import PROFILE

STEP = """\
[tool.galley.steps.table]
script = "scripts/table.py"
inputs = ["data/values.csv"]
outputs = ["figures/table.md"]
"""
SCRIPT = """\
import os, pathlib
out = pathlib.Path(os.environ["GALLEY_OUTPUT_ROOT"], "figures")
out.mkdir(parents=True, exist_ok=True)
(out / "table.md").write_text("| a |\\n|---|\\n| 1 |\\n", encoding="utf-8")
"""
ARTICLE = """\
---
title: A small article
---

Text that cites a source [@a] and shows a figure ![A chart](chart.png).

{{< include figures/table.md >}}
"""
DATAPACKAGE = """\
{"resources": [{"path": "values.csv", "schema": {"fields": [{"name": "n", "type": "integer"}]}}]}
"""
FILES = {
    "pyproject.toml": STEP,
    "scripts/table.py": SCRIPT,
    "data/values.csv": "n\n1\n",
    "data/datapackage.json": DATAPACKAGE,
    "index.qmd": ARTICLE,
    "chart.png": PNG,
}
TEXTS = ["Text [@a] and @b.", "No citation."]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project built and checked once, so that every cache exists, and a copy of them."""
    root = make_project(tmp_path_factory.mktemp("caches") / "project", FILES)
    for args in (("build", "--to", "html"), ("check", "--offline")):
        result = run(*args, cwd=root)
        assert result.returncode == 0, result.stderr
    # The caches a build and an offline check do not write: as `check --links` and a
    # Snakemake job of `galley export snakemake` write them.
    link = {"url": "https://example.org/", "status": 200, "error": None, "moved_to": None}
    flags = {"missing_anchor": False, "transient": False, "unconnected": False}
    links = {link["url"]: {**link, **flags, "checked": time.time()}}
    (root / ".galley" / "cache" / "links.json").write_text(json.dumps(links), "utf-8")
    files = {p: sha256(root / p) for p in ("scripts/table.py", "data/values.csv")}
    made = {"figures/table.md": sha256(root / "figures" / "table.md")}
    job = {"format": 1, "script": {"scripts/table.py": files["scripts/table.py"]}}
    job |= {"inputs": {"data/values.csv": files["data/values.csv"]}, "outputs": made}
    (root / ".galley" / "snakemake").mkdir()
    # And the paper's text area, as a PDF's render measures it.
    _text_area.__wrapped__("a4", root / ".galley" / "cache" / "paper-sizes.json")
    (root / ".galley" / "snakemake" / "table.json").write_text(json.dumps(job), "utf-8")
    shutil.copytree(root / ".galley", root.parent / "kept")
    return root


CACHES = (
    "cache/citations.json", "cache/digests.json", "cache/tools.json", "cache/warnings.json",
    "cache/data.json", "cache/citeproc.json", "cache/links.json", "cache/steps.json",
    "cache/formats.json", "cache/render-warnings.json", "snakemake/table.json",
    "cache/bibliographies.json", "cache/paper-sizes.json", "cache/settings.json",
)  # fmt: skip


def _readers(project: Project) -> dict[str, Callable[[Path], Any]]:
    """Each cache file (under `.galley/`) and what reading it gives, from the given file."""
    source = load_source(project)
    steps = load_steps(project)
    bibliography = project.bibliographies[0]
    items = csl_items(bibliography)
    entries = {e.key: e for e in read_bibliographies(project).entries}
    csv = project.root / "data" / "values.csv"

    def steps_reader(_: Path) -> Any:
        cache = StepCache(project)
        return [stale_reason(cache.get(s.name), record(project, s), s) for s in steps.values()]

    def render_reader(_: Path) -> Any:
        cache = RenderCache(project)
        output = project.output_path("html")
        return {name: cache.why_stale(name, parts, output) for name, parts in cache.records.items()}

    def links_reader(path: Path) -> Any:
        valid, results = _cached(path, 3600)
        return sorted(valid) == sorted(results)

    return {
        "cache/citations.json": lambda path: pandoc_cites(TEXTS, path),
        "cache/digests.json": lambda _: Digests(project).of(csv),
        "cache/tools.json": lambda path: pandoc_version.__wrapped__(path),  # not its memo
        "cache/warnings.json": lambda _: source_warnings(project, source, frozenset()),
        "cache/data.json": lambda _: data_problems(project),
        "cache/citeproc.json": lambda _: unrenderable_entries(items, entries, project.root),
        "cache/links.json": links_reader,
        "cache/steps.json": steps_reader,
        "cache/formats.json": render_reader,
        # What `galley build` with nothing to render repeats (notices.repeat reads it so).
        "cache/render-warnings.json": lambda path: json_cache.load(path, notices.SHAPE),
        "snakemake/table.json": lambda _: snakemake_record(project, steps["table"], {}),
        "cache/bibliographies.json": lambda _: check_bibliographies(project),
        "cache/paper-sizes.json": lambda path: _text_area.__wrapped__("a4", path),  # not its memo
        # The settings and front matter read, and written for pandoc.
        "cache/settings.json": lambda _: article_markdown(*_reloaded(project.root)),
    }


def _reloaded(root: Path) -> tuple[Project, Source]:
    project = load_project(root)
    return project, load_source(project)


@pytest.fixture(scope="module")
def readers(built: Path) -> dict[str, Callable[[Path], Any]]:
    return _readers(load_project(built))


def _restore(root: Path) -> None:
    shutil.rmtree(root / ".galley")
    shutil.copytree(root.parent / "kept", root / ".galley")


def test_every_cache_file_of_a_build_and_a_check_is_read_through_a_reader(
    built: Path, readers: dict[str, Callable[[Path], Any]]
) -> None:
    made = {
        p.relative_to(built / ".galley").as_posix() for p in (built / ".galley").rglob("*.json")
    }
    assert made <= set(readers) == set(CACHES)


def _replace_somewhere(value: Any, path: list[int], new: Any) -> Any:
    """`value` with the node that `path` leads to (each step an index into a list's items or an
    object's values, modulo their number) replaced by `new`."""
    if not path or not isinstance(value, list | dict) or not value:
        return new
    keys = list(range(len(value))) if isinstance(value, list) else list(value)
    key = keys[path[0] % len(keys)]
    copy = list(value) if isinstance(value, list) else dict(value)
    copy[key] = _replace_somewhere(value[key], path[1:], new)
    return copy


# The caches a reader answers the same from, with or without them, once damaged (the others
# are the steps' and formats' records, where a damaged record only means a rebuild).
SAME_ANSWER = (
    "cache/citations.json", "cache/digests.json", "cache/tools.json", "cache/warnings.json",
    "cache/data.json", "cache/citeproc.json", "snakemake/table.json", "cache/bibliographies.json",
    "cache/paper-sizes.json", "cache/settings.json",
)  # fmt: skip
DAMAGE = st.one_of(
    JSON.map(lambda value: ("whole", value)),
    st.tuples(st.just("part"), st.lists(st.integers(0, 9), max_size=5), JSON),
    st.sampled_from([("deep", ""), ("text", "{}}"), ("text", "\x00"), ("text", "")]),
)


def _damage(path: Path, damage: tuple[Any, ...]) -> None:
    if damage[0] == "whole":
        path.write_text(json.dumps(damage[1]), encoding="utf-8")
    elif damage[0] == "part":  # the cache as written, one part of it replaced
        kept = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(_replace_somewhere(kept, damage[1], damage[2])), "utf-8")
    elif damage[0] == "deep":  # nested a hundred thousand deep: json's own recursion fails
        path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    else:
        path.write_text(damage[1], encoding="utf-8")


@PROFILE
@given(name=st.sampled_from(sorted(CACHES)), damage=DAMAGE)
def test_a_damaged_cache_is_read_without_an_error(
    built: Path, readers: dict[str, Callable[[Path], Any]], name: str, damage: tuple[Any, ...]
) -> None:
    _restore(built)
    path = built / ".galley" / name
    _damage(path, damage)
    answer = readers[name](path)
    path.unlink()
    fresh = readers[name](path)
    # A part replaced by a value of the same shape (a digest by another string) is trusted, as
    # any cache is; anything else is no cache at all.
    if damage[0] != "part" and name in SAME_ANSWER:
        assert answer == fresh
    elif damage[0] == "part" and fresh is None:
        pass  # a record trusted for its shape (a Snakemake job's), where none is none: any answer
    else:
        assert type(answer) is type(fresh)


DAMAGED = {
    # the cases: a matching digest with lists too short, or holding numbers
    "short-cites": ("cache/citations.json", lambda c: {**c, "cites": c["cites"][:-1]}),
    "number-cites": ("cache/citations.json", lambda c: {**c, "cites": [[1]] * len(c["cites"])}),
    "deep": ("cache/steps.json", lambda c: "[" * 100_000),
    "digest-string": (
        "cache/digests.json",
        lambda c: {k: [str(v[0]), *v[1:]] for k, v in c.items()},
    ),
}


@pytest.mark.parametrize("case", sorted(DAMAGED))
def test_build_and_check_rebuild_a_damaged_cache_and_exit_0(built: Path, case: str) -> None:
    _restore(built)
    name, damage = DAMAGED[case]
    path = built / ".galley" / name
    damaged = damage(json.loads(path.read_text(encoding="utf-8")))
    path.write_text(damaged if isinstance(damaged, str) else json.dumps(damaged), "utf-8")
    html = (built / "_manuscript" / "index.html").read_bytes()
    for args in (("build", "--to", "html"), ("check", "--offline")):
        result = run(*args, cwd=built)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    assert (built / "_manuscript" / "index.html").read_bytes() == html
    assert json.loads(path.read_text(encoding="utf-8")) != damaged  # written anew
