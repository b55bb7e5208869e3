"""Typst's answer to the float probe is kept between builds under a key made of all it reads (the
probe's text, the images it names, the fonts, Typst's version), taken again while they are the
same, and never kept for a probe that could read anything else. Real Typst, real files."""

from __future__ import annotations

import json
from pathlib import Path

from galley.engines.float_fits_cache import CACHE, probe_key
from galley.engines.float_sizes import FLOATED, IN_TEXT
from galley.util import json_cache
from tests.render.test_float_sizes import measured, rewritten
from tests.render.test_policies import _png


def kept(root: Path) -> dict[str, list[bool]]:
    path = json_cache.cache_path(root, CACHE)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def test_a_kept_answer_is_taken_while_the_probe_is_the_same(tmp_path: Path) -> None:
    short = measured("#rect(height: 200pt)")
    assert FLOATED in rewritten(tmp_path, short)
    answers = kept(tmp_path)
    assert list(answers.values()) == [[True]]
    # The kept answer, changed by hand, is what the next build takes: Typst is not asked again.
    path = json_cache.cache_path(tmp_path, CACHE)
    path.write_text(json.dumps({key: [False] for key in answers}), encoding="utf-8")
    assert IN_TEXT + "#figure([#rect(height: 200pt)]" in rewritten(tmp_path, short)


def test_a_changed_float_or_image_asks_typst_again(tmp_path: Path) -> None:
    (tmp_path / "pic.png").write_bytes(_png())
    with_image = measured('#image("/pic.png", width: 2cm)')
    rewritten(tmp_path, with_image)
    rewritten(tmp_path, measured("#rect(height: 300pt)"))
    assert len(kept(tmp_path)) == 2
    (tmp_path / "pic.png").write_bytes(_png() + b"\x00")  # the same picture, other bytes
    assert FLOATED in rewritten(tmp_path, with_image)
    assert len(kept(tmp_path)) == 3


def test_a_probe_that_could_read_another_file_is_never_kept(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("a line", encoding="utf-8")
    (tmp_path / "pic.png").write_bytes(_png())
    for body in ('#read("/notes.txt")', '#let p = "/pic.png"; #image(p)', '#include "/x.typ"'):
        (tmp_path / "x.typ").write_text("Included.", encoding="utf-8")
        rewritten(tmp_path, measured(body))
    assert kept(tmp_path) == {}


def test_an_image_outside_the_project_gives_no_key_and_is_not_read(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (root / "pic.png").write_bytes(_png())
    (tmp_path / "outside.png").write_bytes(_png())
    probe = root / "index-floats.typ"
    assert probe_key('#image("/pic.png")', probe, root) is not None
    assert probe_key('#image("../outside.png")', probe, root) is None
    assert probe_key('#image("/../outside.png")', probe, root) is None
