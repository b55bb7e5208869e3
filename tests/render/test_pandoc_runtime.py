"""The build's pandoc runs (the article's one reading, each format's) get galley's heap options
for Haskell's runtime (PANDOC_RTS, in GHCRTS): the pandoc galley runs takes them without a word,
they take effect (an 8 MB allocation area instead of the 64 MB pandoc is built with), and a
user's own GHCRTS options still apply."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from galley.util.tools import PANDOC_RTS, pandoc_path, pandoc_runtime
from tests.conftest import galley
from tests.render.fixtures import recording_pandoc, write_project

MB = 1 << 20
# Enough text that pandoc allocates well over 64 MB reading and writing it.
TEXT = "Some *text* here, with [a link](https://example.org).\n\n" * 4000


def collections(stats: str) -> list[int]:
    """The bytes allocated before each collection, from `+RTS -S`'s table."""
    return [int(line.split()[0]) for line in stats.splitlines() if "(Gen:" in line]


def test_pandoc_takes_the_heap_options_and_a_users_own_still_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stats = tmp_path / "gc.txt"
    monkeypatch.setenv("GHCRTS", f"-S{stats}")  # the user's: a report of each collection

    result = subprocess.run(
        [pandoc_path(), "--from", "markdown", "--to", "html"],
        input=TEXT,
        capture_output=True,
        text=True,
        env={**os.environ, "GHCRTS": pandoc_runtime()},
        check=True,
    )

    assert result.stderr == ""
    report = stats.read_text(encoding="utf-8")
    options = re.findall(r"'(-[^']+)'", report.splitlines()[0])
    assert options[options.index("-H1m") :] == [*PANDOC_RTS.split(), f"-S{stats}"]
    sizes = collections(report)
    assert len(sizes) > 8 and max(sizes[1:]) < 9 * MB


def test_the_built_in_heap_is_what_the_options_change(tmp_path: Path) -> None:
    # Without them, pandoc's own `-H64m` collects about every 64 MB: the test above can fail.
    stats = tmp_path / "gc.txt"
    subprocess.run(
        [pandoc_path(), "--from", "markdown", "--to", "html"],
        input=TEXT,
        capture_output=True,
        text=True,
        env={**os.environ, "GHCRTS": f"-S{stats}"},
        check=True,
    )
    assert max(collections(stats.read_text(encoding="utf-8"))) > 60 * MB


def test_the_reading_and_each_formats_run_get_the_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = tmp_path / "ghcrts.txt"
    wrapper = recording_pandoc(tmp_path, record, '"%s|%s\\n" "$GHCRTS" "$*"')
    root = write_project(tmp_path / "p", "title: T\n", "Text.\n", formats="html docx typst")
    monkeypatch.setenv("PYPANDOC_PANDOC", str(wrapper))
    monkeypatch.delenv("GHCRTS", raising=False)

    result = galley("build", cwd=root)

    assert result.returncode == 0, result.stderr
    lines = record.read_text(encoding="utf-8").splitlines()
    runs = [line for line in lines if "--lua-filter" in line or "--to json" in line]
    written = sorted(re.search(r" -(?:t|-to) (\S+)", line)[1] for line in runs)  # type: ignore[index]
    # The one reading, then each format; on fewer cores than formats the HTML's run writes the
    # PDF's .typ and the DOCX too (galley.engines.format_pair).
    each = ["docx", "html5", "typst"] if (os.cpu_count() or 1) >= 3 else ["html5"]
    assert written == sorted([*each, "json"])
    assert {line.split("|")[0] for line in runs} == {PANDOC_RTS}
