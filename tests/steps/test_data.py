"""The data is checked against data/datapackage.json before any step runs; a bad row is
reported with its file, line and column."""

from __future__ import annotations

import json
import re

import pytest

from galley.errors import GalleyError
from galley.project import load_project
from galley.steps import run_steps
from galley.steps.data import validate_data
from tests.conftest import REPO
from tests.steps.conftest import MakeProject, quiet

SCHEMA = {
    "resources": [
        {
            "path": "prevalence.csv",
            "schema": {
                "fields": [
                    {"name": "id", "type": "string", "constraints": {"pattern": "[a-z]+-[0-9]+"}},
                    {"name": "year", "type": "year", "constraints": {"minimum": 2000}},
                    {
                        "name": "past_year_prevalence_pct",
                        "type": "number",
                        "constraints": {"required": True, "maximum": 100},
                    },
                    {"name": "comparable", "type": "boolean"},
                    {"name": "scope", "type": "string", "constraints": {"enum": ["a", "b"]}},
                    {"name": "source", "type": "string", "galley:citationKey": True},
                ],
                "primaryKey": "id",
            },
        }
    ]
}
GOOD_ROWS = ["bnn-1,2019,1.80,true,a,key2020", "bnn-2,2021,1.95,false,b,"]


def data_project(make_project: MakeProject, *rows: str) -> MakeProject:
    csv = "id,year,past_year_prevalence_pct,comparable,scope,source\n" + "\n".join(rows) + "\n"
    files = {"data/prevalence.csv": csv, "data/datapackage.json": json.dumps(SCHEMA)}
    return make_project(files=files)  # type: ignore[no-any-return]


def test_valid_data_passes(make_project: MakeProject) -> None:
    validate_data(data_project(make_project, *GOOD_ROWS))


def test_bad_number_is_reported_with_file_line_and_column(make_project: MakeProject) -> None:
    project = data_project(make_project, *GOOD_ROWS, "bnn-3,2023,abc,true,a,key2020")
    with pytest.raises(GalleyError) as caught:
        run_steps(project, log=quiet)
    assert str(caught.value) == (
        'data/prevalence.csv:4: column past_year_prevalence_pct: "abc" is not a number'
    )
    assert not (project.root / "out").exists()  # no step ran


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("bnn-1,2023,1.7,true,a,key2020", 'column id: "bnn-1" is a duplicate'),
        ("bnn-3,1999,1.7,true,a,key2020", 'column year: "1999" is below the minimum 2000'),
        ("bnn-3,2023,170,true,a,key2020", 'column past_year_prevalence_pct: "170" is above'),
        ("bnn-3,2023,,true,a,key2020", "column past_year_prevalence_pct: a value is required"),
        ("bnn-3,2023,1.7,yes,a,key2020", 'column comparable: "yes" is not a boolean'),
        ("bnn-3,2023,1.7,true,c,key2020", 'column scope: "c" is not one of the allowed values'),
        ("BNN3,2023,1.7,true,a,key2020", 'column id: "BNN3" does not match the pattern'),
        ("bnn-3,2023,1.7,true,a,nokey1999", 'column source: "nokey1999" is not a citation key'),
        ("bnn-3,2023,1.7,true,a", "5 values for 6 columns; give one per column"),
    ],
)
def test_bad_row_is_reported(make_project: MakeProject, row: str, message: str) -> None:
    project = data_project(make_project, *GOOD_ROWS, row)
    with pytest.raises(GalleyError, match=re.escape(f"data/prevalence.csv:4: {message}")):
        validate_data(project)


def test_every_problem_is_listed(make_project: MakeProject) -> None:
    project = data_project(make_project, "bnn-1,19,x,true,a,key2020")
    with pytest.raises(GalleyError) as caught:
        validate_data(project)
    assert str(caught.value).split("\n") == [
        "2 problems in the data (schema: data/datapackage.json):",
        '  data/prevalence.csv:2: column year: "19" is not a year',
        '  data/prevalence.csv:2: column past_year_prevalence_pct: "x" is not a number',
    ]


def test_header_must_match_the_schema(make_project: MakeProject) -> None:
    project = data_project(make_project, *GOOD_ROWS)
    csv = project.root / "data/prevalence.csv"
    csv.write_text(csv.read_text().replace("scope", "scop"))
    with pytest.raises(GalleyError, match=r"^data/prevalence.csv:1: the header has columns"):
        validate_data(project)


def test_the_papers_data_is_valid() -> None:
    validate_data(load_project(REPO))
