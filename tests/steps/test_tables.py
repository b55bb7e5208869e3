"""Data packages validate with frictionless-py: what the Frictionless spec allows is accepted,
what frictionless finds is reported in galley's words with the file's line, and frictionless runs
only when something it reads changed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from galley.errors import ConfigError, GalleyError
from galley.project import Project
from galley.steps.data import validate_data
from tests.steps.conftest import MakeProject


def package(make_project: MakeProject, csv: str | bytes, **resource: Any) -> Project:
    """A project whose data/datapackage.json describes data/t.csv with `resource`'s keys."""
    described = {"name": "t", "path": "t.csv", **resource}
    project = make_project(files={"data/datapackage.json": json.dumps({"resources": [described]})})
    target = project.root / "data/t.csv"
    if isinstance(csv, bytes):
        target.write_bytes(csv)
    else:
        target.write_text(csv, encoding="utf-8", newline="")
    return project


def schema(*fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"schema": {"fields": list(fields), **extra}}


# Each is valid by the Frictionless spec; galley's own validator rejected all but the duplicate.
ALLOWED = {
    "datetime": ("t\n2020-01-02T03:04:05Z\n", schema({"name": "t", "type": "datetime"})),
    "nan-and-inf": ("x\nNaN\nINF\n-INF\n1.5\n", schema({"name": "x", "type": "number"})),
    "missing-values": (
        "x,y\nNA,1\n3,-\n",
        schema(
            {"name": "x", "type": "integer"},
            {"name": "y", "type": "integer"},
            missingValues=["NA", "-"],
        ),
    ),
    "byte-order-mark": (b"\xef\xbb\xbfx,y\n1,2\n", schema({"name": "x"}, {"name": "y"})),
    "date-format": ("d\n31/01/2020\n", schema({"name": "d", "type": "date", "format": "%d/%m/%Y"})),
    "semicolon-dialect": (
        "a;b\n1;2,5\n",
        {**schema({"name": "a", "type": "integer"}, {"name": "b"}), "dialect": {"delimiter": ";"}},
    ),
    "group-char": ('n\n"1,000.5"\n', schema({"name": "n", "type": "number", "groupChar": ","})),
    "year-and-boolean": (
        "y,b\n2020,TRUE\n",
        schema({"name": "y", "type": "year"}, {"name": "b", "type": "boolean"}),
    ),
}


@pytest.mark.parametrize("case", list(ALLOWED))
def test_what_the_spec_allows_is_accepted(make_project: MakeProject, case: str) -> None:
    csv, resource = ALLOWED[case]
    validate_data(package(make_project, csv, **resource))


def test_a_typed_duplicate_in_a_unique_integer_column_is_reported(
    make_project: MakeProject,
) -> None:
    project = package(
        make_project,
        "n\n1\n01\n",
        **schema({"name": "n", "type": "integer", "constraints": {"unique": True}}),
    )
    with pytest.raises(GalleyError) as caught:
        validate_data(project)
    assert str(caught.value) == (
        'data/t.csv:3: column n: "01" is a duplicate (first at line 2); values must be unique'
    )


def test_a_row_after_a_value_with_a_line_break_is_reported_at_its_own_line(
    make_project: MakeProject,
) -> None:
    project = package(
        make_project,
        'a,b\n"two\nlines",1\nz,q\n',
        **schema({"name": "a"}, {"name": "b", "type": "integer"}),
    )
    with pytest.raises(GalleyError, match=re.escape('data/t.csv:4: column b: "q" is not an')):
        validate_data(project)


def test_a_date_in_another_format_names_the_format(make_project: MakeProject) -> None:
    project = package(
        make_project,
        "d\n2020-01-31\n",
        **schema({"name": "d", "type": "date", "format": "%d/%m/%Y"}),
    )
    with pytest.raises(GalleyError) as caught:
        validate_data(project)
    assert (
        str(caught.value)
        == 'data/t.csv:2: column d: "2020-01-31" is not a date in the format %d/%m/%Y'
    )


def test_citation_keys_are_the_entries_bibtexparser_and_pandoc_read(
    make_project: MakeProject,
) -> None:
    """An entry that does not start its line is an entry to both (a line pattern missed it)."""
    key_field = {"name": "source", "galley:citationKey": True}
    project = package(make_project, "source\nkey2020\ninline2001\n", **schema(key_field))
    bib = project.root / "references.bib"
    bib.write_text(bib.read_text() + "See also: @misc{inline2001,\n  title = {Inline}\n}\n")
    validate_data(project)


def test_a_data_file_linked_from_outside_the_project_is_refused_unread(
    make_project: MakeProject, tmp_path: Path
) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside.csv"
    outside.write_text("x\nSECRET-VALUE\n", encoding="utf-8")
    project = package(make_project, "x\n1\n", **schema({"name": "x", "type": "integer"}))
    (project.root / "data/t.csv").unlink()
    (project.root / "data/t.csv").symlink_to(outside)
    with pytest.raises(ConfigError) as caught:
        validate_data(project)
    assert "SECRET" not in str(caught.value)
    assert str(caught.value) == (
        "data/datapackage.json: resource `t`: `path` `t.csv` leads outside the project through "
        "a link; copy the file into the project"
    )


def test_a_mistake_only_frictionless_sees_is_a_configuration_error(
    make_project: MakeProject,
) -> None:
    field = {"name": "x", "type": "boolean", "trueValues": "yes"}
    project = package(make_project, "x\nyes\n", **schema(field))
    with pytest.raises(ConfigError, match=r"^data/datapackage.json: resource `t`: .*trueValues"):
        validate_data(project)


def test_a_foreign_key_to_another_resource_is_checked(make_project: MakeProject) -> None:
    other = {"name": "other", "path": "o.csv", **schema({"name": "y", "type": "integer"})}
    keyed = schema(
        {"name": "x", "type": "integer"},
        foreignKeys=[{"fields": "x", "reference": {"resource": "other", "fields": "y"}}],
    )
    project = package(make_project, "x\n1\n3\n", **keyed)
    described = json.loads((project.root / "data/datapackage.json").read_text())
    described["resources"].append(other)
    (project.root / "data/datapackage.json").write_text(json.dumps(described))
    (project.root / "data/o.csv").write_text("y\n1\n2\n")
    with pytest.raises(GalleyError) as caught:
        validate_data(project)
    assert str(caught.value) == (
        'data/t.csv:3: foreign key for "x": values "3" not found in the lookup table "other" as '
        '"y"; fix the value or add it to the referenced resource'
    )


PROBE = """
import sys
from galley.project import load_project
from galley.steps.data import validate_data
validate_data(load_project(sys.argv[1]))
print("frictionless" in sys.modules)
"""


def validated_in_a_new_process(project: Project) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE, str(project.root)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONUTF8": "1"},
        check=False,
    )


def test_frictionless_runs_only_when_the_data_or_its_description_changed(
    make_project: MakeProject,
) -> None:
    project = package(make_project, "x\n1\n", **schema({"name": "x", "type": "integer"}))
    runs = [validated_in_a_new_process(project) for _ in range(2)]
    assert [r.stdout for r in runs] == ["True\n", "False\n"], [r.stderr for r in runs]
    (project.root / "data/t.csv").write_text("x\n1\nmany\n", encoding="utf-8")
    changed = validated_in_a_new_process(project)
    assert changed.returncode != 0
    assert 'data/t.csv:3: column x: "many" is not an integer' in changed.stderr
