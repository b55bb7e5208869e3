"""The build's warnings about the sources are the same whether read anew or from the cache of
what the text decides (.galley/cache/warnings.json): a build with nothing to do repeats them,
an image that appears silences its warning, and a line moved into an include is named there."""

from __future__ import annotations

import json
from pathlib import Path

from galley.check.build_warnings import SHAPE
from galley.util import json_cache
from tests.conftest import galley
from tests.render.test_crossrefs import make_project

CACHE = Path(".galley") / "cache" / "warnings.json"


def warnings(root: Path) -> list[str]:
    result = galley("build", "--to", "html", cwd=root)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("galley: warning:")]


def test_a_build_with_nothing_to_do_repeats_the_warnings_from_the_cache(tmp_path: Path) -> None:
    root = make_project(tmp_path, "# One\n\n![](gone.png)\n\n### Three\n")
    first = warnings(root)
    assert [w.rsplit("[", 1)[1] for w in first] == [
        "missing-alt-text]",
        "missing-file]",
        "skipped-heading-level]",
    ]
    assert json.loads((root / CACHE).read_text(encoding="utf-8"))["images"]
    assert warnings(root) == first


def test_the_cache_a_build_writes_is_the_one_the_next_build_reads(tmp_path: Path) -> None:
    root = make_project(tmp_path, "# One\n\n![](gone.png) and [notes](gone.pdf)\n")
    first = warnings(root)
    assert [w.rsplit("[", 1)[1] for w in first] == [
        "missing-alt-text]",
        "missing-file]",
        "missing-file]",
    ]
    written = json.loads((root / CACHE).read_text(encoding="utf-8"))
    assert written["links"]
    assert json_cache.load(root / CACHE, SHAPE) == written
    assert warnings(root) == first


def test_an_image_that_appears_is_no_longer_missing_though_the_text_is_unchanged(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path, "# One\n\n![](late.svg)\n")
    assert any("image `late.svg` does not exist" in w for w in warnings(root))
    (root / "doc" / "late.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', "utf-8")
    assert not any("does not exist" in w for w in warnings(root))


def test_a_line_moved_into_an_include_is_named_where_it_now_stands(tmp_path: Path) -> None:
    root = make_project(tmp_path, "# One\n\n{{< include part.qmd >}}\n\n![](a.svg)\n", "Text.\n")
    (root / "doc" / "a.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', "utf-8")
    assert [w.split(": ")[2] for w in warnings(root)] == ["doc/index.qmd:9"]
    article = root / "doc" / "index.qmd"
    article.write_text(article.read_text("utf-8").replace("\n\n![](a.svg)\n", "\n"), "utf-8")
    (root / "doc" / "part.qmd").write_text("Text.\n\n![](a.svg)\n", "utf-8")
    assert [w.split(": ")[2] for w in warnings(root)] == ["doc/part.qmd:3"]
