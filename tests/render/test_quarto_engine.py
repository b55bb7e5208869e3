"""Real Quarto on this project (issue 9), checked without Quarto: `galley build --engine quarto`
against the stand-in (tests/render/quarto_standin.py, which empties the output folder on every
render, takes one format per `--to`, renders every document a project holds unless
`project: render:` lists them: issue 9, facts 1, 2, 4, 5), and the galley extension's filters
run through real pandoc the way Quarto loads them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from galley.engines.options import RenderOptions
from galley.engines.pandoc import RESOURCES
from galley.engines.quarto_extension import extension_files
from galley.engines.quarto_metadata import quarto_metadata
from galley.project import QUARTO_METADATA
from galley.util.tools import pandoc_path
from tests.conftest import REPO, galley
from tests.render.quarto_standin import install, read_yaml
from tests.render.test_crossrefs import make_project

EXTENSION = REPO / "_extensions" / "galley"
# What `galley build` generates that a clean clone lacks; `quarto render` needs it.
GENERATED = ("figures", "_variables.yml", str(QUARTO_METADATA))


def run(args: list[str], cwd: Path, bin_dir: Path, log: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "QUARTO_LOG": str(log)}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, check=False)


def galley_build(root: Path, bin_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "galley", "build", "--engine", "quarto", *args]
    return run(command, root, bin_dir, root.parent / "quarto.log")


def render_calls(root: Path) -> list[str]:
    calls = (root.parent / "quarto.log").read_text(encoding="utf-8").splitlines()
    return [re.sub(r"^render \S+", "render", c) for c in calls if c.startswith("render")]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    install(tmp_path / "bin")
    return make_project(tmp_path / "project", "# One\n\nText [@known2020].\n")


def outputs(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (root / "_manuscript/doc").glob("index.*")}


def test_build_with_quarto_writes_every_format_in_one_render(project: Path) -> None:
    result = galley_build(project, project.parent / "bin")

    assert result.returncode == 0, result.stderr
    assert sorted(outputs(project)) == ["index.docx", "index.html", "index.pdf"]
    assert render_calls(project) == ["render"]  # no --to: every format under `format:`


def test_build_of_some_formats_with_quarto_keeps_each_despite_quarto_emptying_its_folder(
    project: Path,
) -> None:
    result = galley_build(project, project.parent / "bin", "--to", "html", "--to", "docx")

    assert result.returncode == 0, result.stderr
    assert sorted(outputs(project)) == ["index.docx", "index.html"]
    assert render_calls(project) == ["render --to html", "render --to docx"]


def test_another_quarto_version_renders_again_and_the_same_one_does_not(project: Path) -> None:
    bin_dir = project.parent / "bin"
    assert galley_build(project, bin_dir).returncode == 0
    assert galley_build(project, bin_dir).returncode == 0  # up to date: no render
    install(bin_dir, version="1.10.19")
    status = run(
        [sys.executable, "-m", "galley", "status"], project, bin_dir, project.parent / "status.log"
    )
    assert "changed: Quarto" in status.stdout + status.stderr

    result = galley_build(project, bin_dir)

    assert result.returncode == 0, result.stderr
    assert render_calls(project) == ["render", "render"]


def test_build_to_html_with_quarto_keeps_the_previous_pdf_and_docx(project: Path) -> None:
    bin_dir = project.parent / "bin"
    assert galley_build(project, bin_dir).returncode == 0
    before = outputs(project)
    article = project / "doc/index.qmd"
    article.write_text(article.read_text(encoding="utf-8") + "\nA new sentence.\n", "utf-8")

    result = galley_build(project, bin_dir, "--to", "html")

    assert result.returncode == 0, result.stderr
    after = outputs(project)
    assert after["index.pdf"] == before["index.pdf"]
    assert after["index.docx"] == before["index.docx"]
    assert b"A new sentence." in after["index.html"]


def test_review_profile_with_quarto_is_quartos_profile_and_numbers_the_docx_lines(
    project: Path,
) -> None:
    shutil.copy2(REPO / "_quarto-review.yml", project / "_quarto-review.yml")

    result = galley_build(project, project.parent / "bin", "--profile", "review", "--to", "docx")

    assert result.returncode == 0, result.stderr
    assert render_calls(project) == ["render --to docx --profile review"]
    with zipfile.ZipFile(project / "_manuscript/review/doc/index.docx") as docx:
        assert "<w:lnNumType" in docx.read("word/document.xml").decode()


def test_review_profile_with_quarto_needs_the_profile_file(project: Path) -> None:
    result = galley_build(project, project.parent / "bin", "--profile", "review")

    assert result.returncode == 1
    assert result.stderr == (
        "galley: error: `--profile review` with Quarto needs Quarto's profile file "
        "`_quarto-review.yml`, which this project lacks; add it (see the README's `Using real "
        "Quarto`) or use `--engine pandoc`\n"
    )
    assert not (project.parent / "quarto.log").exists()


def test_anonymous_with_quarto_is_refused_before_any_work(project: Path) -> None:
    result = galley_build(project, project.parent / "bin", "--anonymous")

    assert result.returncode == 1
    assert "--anonymous is made by the embedded engine only; add `--engine pandoc`" in result.stderr


def test_a_fresh_project_listing_the_quarto_metadata_file_builds_and_is_then_up_to_date(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path, "Text.\n")
    config = root / "_quarto.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + f"metadata-files:\n  - {QUARTO_METADATA}\n", "utf-8"
    )

    first = galley("build", "--to", "html", "--engine", "pandoc", cwd=root)
    second = galley("build", "--to", "html", "--engine", "pandoc", cwd=root)

    assert first.returncode == 0, first.stderr  # missing until this build: skipped, as Quarto does
    assert (root / QUARTO_METADATA).is_file()
    assert "up to date" in second.stderr  # galley's own output is not an input of the next build


def test_stand_in_like_quarto_keeps_only_the_last_of_two_renders(project: Path) -> None:
    bin_dir, log = project.parent / "bin", project.parent / "log"
    config = project / "_quarto.yml"  # no apa.csl in this small project
    config.write_text(config.read_text(encoding="utf-8").replace("csl: apa.csl\n", ""), "utf-8")
    for fmt in ("html", "docx"):
        assert run(["quarto", "render", "--to", fmt], project, bin_dir, log).returncode == 0

    assert sorted(outputs(project)) == ["index.docx"]  # issue 9, fact 1


def test_stand_in_reads_yaml_as_quarto_does(tmp_path: Path) -> None:
    # quarto-cli src/core/yaml.ts: `QuartoJSONSchema` (null, bool, int, float; YAML 1.2) read
    # with js-yaml's `json: true`, under which a repeated key keeps its last value.
    settings = tmp_path / "_quarto.yml"
    settings.write_text("toc: yes\ndate: 2024-01-02\nmode: 0755\nlang: en\nlang: no\n", "utf-8")
    assert read_yaml(settings) == {"toc": "yes", "date": "2024-01-02", "mode": 755, "lang": "no"}


def test_stand_in_refuses_a_comma_list_of_formats_like_quarto(project: Path) -> None:
    bin_dir = project.parent / "bin"
    result = run(["quarto", "render", "--to", "html,docx"], project, bin_dir, project / "log")
    assert result.returncode == 1
    assert not (project / "_manuscript").exists()


def clone(dest: Path) -> Path:
    """The files a clone of this repository holds (tracked, or new and not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout: cannot tell what a clone holds")
    for name in listed.stdout.splitlines():
        if (REPO / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, dest / name)
    return dest


@pytest.fixture
def built_clone(tmp_path: Path, built_project: Path) -> Path:
    """A clone after one `galley build` (its generated files taken from the session's build)."""
    root = clone(tmp_path / "clone")
    for name in GENERATED:
        source = built_project / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    install(tmp_path / "bin")
    return root


def test_quarto_render_in_a_clone_renders_only_the_article_with_its_source_notes(
    built_clone: Path,
) -> None:
    bin_dir = built_clone.parent / "bin"

    result = run(["quarto", "render"], built_clone, bin_dir, built_clone.parent / "log")

    assert result.returncode == 0, result.stderr
    assert "WARN" not in result.stderr  # the notebook links are not resolved as documents
    out = built_clone / "_manuscript"
    documents = sorted(
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.suffix != ".png"
    )
    assert documents == [
        "manuscript/index.docx",
        "manuscript/index.html",
        "manuscript/index.pdf",
    ]
    assert (out / "figures/prevalence.png").is_file()  # issue 9, fact 4
    html = (out / "manuscript/index.html").read_text(encoding="utf-8")
    notes = yaml.safe_load((built_clone / QUARTO_METADATA).read_text(encoding="utf-8"))
    labels = sorted(notes["galley-source-notes"])
    assert labels == ["fig-milestones", "fig-prevalence", "tbl-activities", "tbl-sources"]
    for label in labels:  # each note comes after its own figure or table, before the next one
        after = html.split(f'id="{label}"', 1)[1]
        assert 'class="galley-source-note"' in after, label
        between = after.split('class="galley-source-note"', 1)[0]
        assert not re.search(rf'id="(?!{label})(fig|tbl)-', between), label


def test_quarto_render_without_project_render_fails_on_a_test_fixture(built_clone: Path) -> None:
    config = built_clone / "_quarto.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"  render:\n(    - .*\n)+", "", text), encoding="utf-8")

    result = run(["quarto", "render"], built_clone, built_clone.parent / "bin", Path("/dev/null"))

    assert result.returncode == 1
    assert "Include directive failed" in result.stderr  # what Quarto 1.10 said (issue 9)


def test_quarto_render_with_the_review_profile_numbers_paragraphs_in_a_clone(
    built_clone: Path,
) -> None:
    command = ["quarto", "render", "--to", "html", "--profile", "review"]
    result = run(command, built_clone, built_clone.parent / "bin", Path("/dev/null"))

    assert result.returncode == 0, result.stderr
    html = (built_clone / "_manuscript/manuscript/index.html").read_text(encoding="utf-8")
    assert '<div id="p-1" class="numbered-para">' in html
    assert html.count('class="galley-source-note"') == 4


# Loads a filter file as Quarto 1.10 does (quarto-cli src/resources/filters/common/
# wrapped-filter.lua, makeWrappedLuaFilter): the file runs in an environment of its own, and the
# filter is the functions left in that environment (or the table the file returns); a function
# that lands in the global table instead is not seen.
QUARTO_LOADER = """
local path = os.getenv('GALLEY_FILTER')
local globals = {}
for name, value in pairs(_G) do globals[name] = value end
globals.PANDOC_SCRIPT_FILE = path
local env = setmetatable({}, { __index = globals })
local filter = assert(loadfile(path, 'bt', env))() or env
local pandoc_function = assert(rawget(filter, 'Pandoc'), 'the filter defined no Pandoc function')
return { { Pandoc = pandoc_function } }
"""
DOC = """\
![A figure](fig.png){#fig-made fig-alt="Bars"}

| a |
|---|
| 1 |

: A table {#tbl-made}

Body text.
"""


def run_as_quarto(filter_name: str, meta: str, tmp_path: Path, to: str = "html") -> str:
    loader = tmp_path / "loader.lua"
    loader.write_text(QUARTO_LOADER, encoding="utf-8")
    meta_file = tmp_path / "meta.yml"
    meta_file.write_text(meta, encoding="utf-8")
    result = subprocess.run(
        [pandoc_path(), "--from", "markdown", "--to", to, "--metadata-file", str(meta_file)]
        + ["--lua-filter", str(loader)],
        input=DOC,
        capture_output=True,
        text=True,
        env={**os.environ, "GALLEY_FILTER": str(EXTENSION / filter_name)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_extension_filter_loaded_as_quarto_loads_it_adds_the_source_notes(
    tmp_path: Path,
) -> None:
    note = {"script": "scripts/fig.py", "inputs": [{"path": "data/a.csv", "sha": "0123abcd"}]}
    options = RenderOptions(
        formats=["html"],
        source_notes={"fig-made": {**note, "notebook": "../notebooks/fig.ipynb"}, "tbl-made": note},
    )

    html = run_as_quarto("source-notes.lua", quarto_metadata(options), tmp_path)

    figure_note = re.search(
        r"</figure>\s*<div class=\"galley-source-note\">(.*?)</div>", html, re.S
    )
    assert figure_note, html
    assert "<code>scripts/fig.py</code>" in figure_note[1]
    assert "sha256:0123abcd" in figure_note[1]
    assert 'href="../notebooks/fig.ipynb"' in figure_note[1]
    assert re.search(r"</table>\s*<div class=\"galley-source-note\">", html)


def test_extension_filter_numbers_paragraphs_under_the_review_profile(tmp_path: Path) -> None:
    review = yaml.safe_load((REPO / "_quarto-review.yml").read_text(encoding="utf-8"))
    meta = yaml.safe_dump({"galley-paragraph-numbers": review["galley-paragraph-numbers"]})

    html = run_as_quarto("paragraph-numbers.lua", meta, tmp_path)

    assert '<div id="p-1" class="numbered-para">' in html
    assert "Body text." in html.split('id="p-1"')[1]


def test_the_repositorys_extension_is_what_the_installed_galley_writes() -> None:
    # A change to galley's filters must reach the committed copy that Quarto runs.
    committed = {p.name: p.read_bytes() for p in EXTENSION.iterdir() if p.is_file()}
    assert committed == extension_files(), (
        "_extensions/galley/ is not what this galley writes: run `galley init --extension` "
        "and commit the result"
    )
    manifest = yaml.safe_load(committed["_extension.yml"])
    contributed = [f["path"] for f in manifest["contributes"]["filters"]]
    assert contributed == ["source-notes.lua", "paragraph-numbers.lua"]
    for name in contributed:
        assert committed[name] == (Path(str(RESOURCES)) / name).read_bytes()


def test_quartos_warnings_are_galleys_with_file_and_line_and_strict_fails_on_them(
    tmp_path: Path,
) -> None:
    install(tmp_path / "bin")
    root = make_project(tmp_path / "project", "# One\n\nText [@knwn2020] and @fig-nothere.\n")
    result = galley_build(root, tmp_path / "bin", "--to", "html")
    assert result.returncode == 0, result.stderr
    assert (
        "galley: warning: doc/index.qmd:7: citation `@knwn2020` is not in the bibliography "
        "(refs.bib), so it renders as knwn2020?; did you mean `@known2020`? Otherwise add the "
        "entry or fix the key [missing-key]\n"
        "galley: warning: doc/index.qmd:7: cross-reference `@fig-nothere` points to no figure, "
        "table or section, so it renders as ?@fig-nothere; define `{#fig-nothere}` or fix the "
        "label [undefined-crossref]\n"
    ) in result.stderr
    assert "\x1b" not in result.stderr and "Unable to resolve" not in result.stderr
    strict = galley_build(root, tmp_path / "bin", "--to", "html", "--strict", "--force")
    assert strict.returncode == 1
    assert strict.stderr.endswith("or build without --strict for a draft\n")
