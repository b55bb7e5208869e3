"""The settings cache (galley.reading.settings_cache): a text read before is not read again, a
changed one is, a value JSON would change is never kept, a damaged entry is never believed, and a
broken YAML is reported as it is without a cache."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from galley.errors import ConfigError
from galley.reading import settings_cache, yamlfile
from galley.reading.front_matter import read_yaml
from galley.rendering.styles import in_text_style
from tests.hardening.conftest import run

CACHE = Path(".galley") / "cache" / settings_cache.CACHE


def entries(root: Path) -> dict[str, Any]:
    path = root / CACHE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def counting(calls: list[str]) -> Callable[[str], Any]:
    """galley's settings reader, noting each text it reads."""

    def parse(text: str) -> Any:
        calls.append(text)
        return yamlfile.load_settings(text)

    return parse


def test_a_text_read_before_is_not_read_again_and_a_changed_one_is(tmp_path: Path) -> None:
    calls: list[str] = []
    first = settings_cache.parsed("title: One\nyear: 2024\n", "settings", counting(calls), tmp_path)
    again = settings_cache.parsed("title: One\nyear: 2024\n", "settings", counting(calls), tmp_path)
    changed = settings_cache.parsed(
        "title: Two\nyear: 2024\n", "settings", counting(calls), tmp_path
    )
    assert first == again == {"title": "One", "year": 2024}
    assert again is not first  # a new copy: a caller may change what it was given
    assert changed == {"title": "Two", "year": 2024}
    assert calls == ["title: One\nyear: 2024\n", "title: Two\nyear: 2024\n"]
    assert len(entries(tmp_path)) == 2


def test_a_kept_value_comes_back_with_its_types_and_order(tmp_path: Path) -> None:
    path = tmp_path / "_quarto.yml"
    path.write_text("z: 1.0\ny: 1\nx: true\nw: '1'\nv: ~\nu: -.inf\nt: [1e3, 0x10]\n", "utf-8")
    read = read_yaml(path, root=tmp_path)
    kept = read_yaml(path, root=tmp_path)
    assert len(entries(tmp_path)) == 1
    assert list(kept) == list(read) == ["z", "y", "x", "w", "v", "u", "t"]
    assert [(type(v), v) for v in kept.values()] == [(type(v), v) for v in read.values()]
    assert [type(v) for v in kept["t"]] == [float, int]


@pytest.mark.parametrize(
    "text",
    [
        "1: one\n",  # an integer key: JSON's keys are text
        "true: yes\n",  # a boolean key
        "a: &shared [1, 2]\nb: *shared\n",  # one list reached twice
        "a: .nan\n",  # not equal to itself
        "a: " + "[" * 70 + "]" * 70 + "\n",  # deeper than the cache keeps
    ],
)
def test_a_value_json_would_not_give_back_is_read_every_time(tmp_path: Path, text: str) -> None:
    calls: list[str] = []
    values = [settings_cache.parsed(text, "settings", counting(calls), tmp_path) for _ in range(2)]
    assert len(calls) == 2
    assert entries(tmp_path) == {}
    assert repr(values[0]) == repr(values[1]) == repr(yamlfile.load_settings(text))


def test_a_damaged_entry_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "_quarto.yml"
    path.write_text("title: The real one\n", encoding="utf-8")
    read_yaml(path, root=tmp_path)
    kept = entries(tmp_path)
    (key,) = kept
    for damaged in ('{"title": "forged"}', "not JSON", "[" * 1000):
        forged = {key: [kept[key][0], damaged]}
        (tmp_path / CACHE).write_text(json.dumps(forged), encoding="utf-8")
        assert read_yaml(path, root=tmp_path) == {"title": "The real one"}
    assert entries(tmp_path) == kept  # written anew


def test_a_broken_yaml_is_reported_with_its_line_though_the_cache_holds_the_old_text(
    tmp_path: Path,
) -> None:
    path = tmp_path / "_quarto.yml"
    path.write_text("format:\n  html: default\n", encoding="utf-8")
    read_yaml(path, root=tmp_path)
    path.write_text("format:\n  html: [default\n", encoding="utf-8")
    problems = []
    for root in (tmp_path, None):
        with pytest.raises(ConfigError) as raised:
            read_yaml(path, root=root)
        problems.append(str(raised.value))
    assert problems[0] == problems[1]
    assert problems[0].startswith(f"{path}:3: invalid YAML: expected ',' or ']'")
    assert len(entries(tmp_path)) == 1  # the text that does not read is not kept


@pytest.mark.parametrize(
    ("name", "broken", "message"),
    [
        (
            "_quarto.yml",
            "project:\n  type: manuscript\n  output-dir: _manuscript\nformat: [html\n",
            "galley: error: {root}/_quarto.yml:5: invalid YAML: expected ',' or ']', but got "
            "'<stream end>'",
        ),
        (
            "index.qmd",
            "---\ntitle: [A small article\n---\n\nText.\n",
            "galley: error: index.qmd:2: invalid YAML front matter: expected ',' or ']', but got "
            "'<stream end>'",
        ),
    ],
)
def test_a_build_reports_a_broken_yaml_as_without_a_cache(
    tiny: Callable[..., Path], name: str, broken: str, message: str
) -> None:
    root = tiny()
    assert run("build", "--to", "html", cwd=root).returncode == 0
    assert entries(root)
    (root / name).write_text(broken, encoding="utf-8")
    with_entries = run("build", "--to", "html", cwd=root)
    (root / CACHE).unlink()
    without = run("build", "--to", "html", cwd=root)
    assert with_entries.returncode == without.returncode != 0
    assert with_entries.stderr == without.stderr
    assert with_entries.stderr.strip().splitlines()[-1] == message.format(root=root)


def test_a_broken_pyproject_toml_is_reported_as_without_a_cache(tiny: Callable[..., Path]) -> None:
    root = tiny({"pyproject.toml": '[tool.galley.check]\ndisable = ["missing-alt-text"]\n'})
    assert run("build", "--to", "html", cwd=root).returncode == 0
    # _quarto.yml, the front matter, [tool.galley]; the YAML for pandoc and the Quarto extension
    assert len(entries(root)) == 5
    (root / "pyproject.toml").write_text("[tool.galley.check]\ndisable = = 1\n", "utf-8")
    with_entries = run("build", "--to", "html", cwd=root)
    (root / CACHE).unlink()
    without = run("build", "--to", "html", cwd=root)
    assert with_entries.returncode == without.returncode == 2
    assert with_entries.stderr == without.stderr
    assert with_entries.stderr == (
        "galley: error: pyproject.toml:2: invalid TOML: Invalid value; fix the syntax\n"
    )


def test_an_edited_setting_or_front_matter_changes_the_output(
    tiny: Callable[..., Path],
) -> None:
    root = tiny()
    html = root / "_manuscript" / "index.html"
    assert run("build", "--to", "html", cwd=root).returncode == 0
    assert "A small article" in html.read_text(encoding="utf-8")
    index = root / "index.qmd"
    index.write_text(index.read_text("utf-8").replace("A small", "A smaller"), encoding="utf-8")
    assert run("build", "--to", "html", cwd=root).returncode == 0
    assert "A smaller article" in html.read_text(encoding="utf-8")
    quarto = root / "_quarto.yml"
    quarto.write_text(quarto.read_text("utf-8") + "subtitle: Said in settings\n", "utf-8")
    assert run("build", "--to", "html", cwd=root).returncode == 0
    assert "Said in settings" in html.read_text(encoding="utf-8")


def test_a_style_whose_class_changed_is_read_again(tmp_path: Path) -> None:
    style = tmp_path / "style.csl"
    for style_class, in_text in (("in-text", True), ("note", False), ("in-text", True)):
        style.write_text(
            f'<style xmlns="http://purl.org/net/citationstyle" class="{style_class}"/>'
        )
        assert in_text_style(style, tmp_path) is in_text
        assert in_text_style(style, tmp_path) is in_text  # the second from the cache
    assert len(entries(tmp_path)) == 2
