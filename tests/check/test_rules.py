"""One fixture project per rule: the finding lands on the right file and line, and the
look-alike next to it does not fire."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import found
from galley.check.render import unrenderable_entries
from galley.cli import main
from galley.reading.bibliography import parse_bibliography

Run = Callable[..., tuple[int, dict[str, Any]]]


def test_clean_manuscript_with_every_look_alike_has_no_finding(run_check: Run) -> None:
    code, report = run_check("clean")
    assert (code, report["findings"]) == (0, [])
    assert report["summary"] == {"errors": 0, "warnings": 0, "rules": {}}


def test_missing_key_is_reported_with_file_line_and_key(run_check: Run) -> None:
    code, report = run_check("missing-key")
    assert code == 1
    [finding] = report["findings"]
    assert finding == {
        "rule": "missing-key",
        "severity": "error",
        "path": "index.qmd",
        "line": 12,
        "message": "citation `@nobody2020` has no entry in the bibliography",
        "fix": "add an entry `nobody2020` to the bibliography, or correct the key",
        "key": "nobody2020",
    }


def test_unused_entry_is_a_warning_on_the_entry_line(run_check: Run) -> None:
    code, report = run_check("unused-entry")
    assert code == 0
    assert found(report, "unused-entry") == [
        ("refs.bib", 9, "entry `buzan2003` is not cited"),
        ("refs.bib", 17, "entry `unodc:wdr-2023` is not cited"),
    ]


def test_nocite_in_front_matter_counts_as_use(run_check: Run) -> None:
    assert run_check("nocite") == (
        0,
        {"findings": [], "summary": {"errors": 0, "warnings": 0, "rules": {}}},
    )


def test_duplicate_key_compares_case_insensitively(run_check: Run) -> None:
    code, report = run_check("duplicate-key")
    assert code == 1
    assert found(report, "duplicate-key") == [
        (
            "refs.bib",
            25,
            "entry `Newman2001` is defined twice (first as `newman2001` at refs.bib:1; "
            "BibTeX keys ignore case)",
        )
    ]


def test_duplicate_entry_matches_author_title_and_year(run_check: Run) -> None:
    code, report = run_check("duplicate-entry")
    assert code == 0
    assert found(report, "duplicate-entry") == [
        (
            "refs.bib",
            25,
            "entries `newman2001` (refs.bib:1) and `newman2001b` have the same first author, "
            "title and year",
        )
    ]


def test_missing_field_names_the_field_the_type_requires(run_check: Run) -> None:
    code, report = run_check("missing-field")
    assert code == 1
    assert found(report, "missing-field") == [
        ("refs.bib", 25, "@article entry `nojournal` has no `journal` or `journaltitle`")
    ]


def test_bad_doi_isbn_url_and_date_point_at_the_field_line(run_check: Run) -> None:
    code, report = run_check("bad-fields")
    assert code == 1
    rules = [(f["rule"], f["line"]) for f in report["findings"]]
    assert rules == [("bad-doi", 6), ("bad-isbn", 14), ("bad-url", 21), ("bad-date", 22)]
    assert report["findings"][0]["fix"] == "write the bare DOI: doi = {10.1111/1528-3577.00056}"


def test_bib_syntax_error_names_the_block_line_and_later_entries_still_parse(
    run_check: Run,
) -> None:
    code, report = run_check("bib-syntax")
    assert code == 1
    assert found(report, "bib-syntax") == [
        (
            "refs.bib",
            25,
            "this block does not parse: Unexpected block start: `@misc`. Was still looking for "
            "field-value closing `}`",
        )
    ]
    assert found(report, "unused-entry") == [("refs.bib", 29, "entry `after` is not cited")]


def test_prose_citations_are_found_with_the_entries_they_mean(run_check: Run) -> None:
    code, report = run_check("prose-citation")
    assert code == 0
    hits = {(f["message"], f["fix"]) for f in report["findings"]}
    assert hits == {
        (
            "`(Newman, 2001)` is a citation typed by hand",
            "write [@newman2001] so pandoc formats and links it",
        ),
        (
            "`Krasner (1983)` is a citation typed by hand",
            "no bibliography entry matches; add one and cite it as [@key]",
        ),
        (
            "`Wendt's (1992)` is a citation typed by hand",
            "no bibliography entry matches; add one and cite it as [@key]",
        ),
        (
            "`(BNN, 2024)` is a citation typed by hand",
            "no bibliography entry matches; add one and cite it as [@key]",
        ),
        (
            "`Buzan & Wæver (2003)` is a citation typed by hand",
            "write [@buzan2003] so pandoc formats and links it",
        ),
    }


def test_duplicate_label_and_undefined_crossref_but_code_cell_labels_count(run_check: Run) -> None:
    code, report = run_check("crossrefs")
    assert code == 1
    assert found(report, "duplicate-label") == [
        ("index.qmd", 14, "label `fig-one` is defined twice (first at index.qmd:12)")
    ]
    assert found(report, "undefined-crossref") == [
        (
            "index.qmd",
            16,
            "cross-reference `@tbl-none` points to no label (Quarto shows ?@tbl-none)",
        )
    ]


def test_included_files_are_checked_with_their_own_paths_and_lines(run_check: Run) -> None:
    code, report = run_check("includes")
    assert code == 1
    assert [(f["rule"], f["path"], f["line"]) for f in report["findings"]] == [
        ("missing-file", "index.qmd", 14),
        ("missing-key", "sections/_methods.qmd", 3),
        ("missing-file", "sections/_methods.qmd", 5),
    ]
    # figures/tbl-summary.md is a declared step output not built yet: neither the include nor
    # @tbl-summary is a finding.


def test_include_cycle_is_reported_on_the_include_that_closes_it(run_check: Run) -> None:
    code, report = run_check("include-cycle")
    assert code == 1
    assert report["findings"] == [
        {
            "rule": "include-cycle",
            "severity": "error",
            "path": "sections/_part.qmd",
            "line": 5,
            "message": "include `../index.qmd` includes itself (a cycle)",
            "fix": "remove this include, or the one that leads back to this file",
        }
    ]


def test_include_outside_the_project_is_reported_with_line(run_check: Run) -> None:
    code, report = run_check("include-outside")
    assert code == 1
    assert report["findings"] == [
        {
            "rule": "include-outside",
            "severity": "error",
            "path": "index.qmd",
            "line": 12,
            "message": "include `../../etc/passwd` points outside the project",
            "fix": "copy the file into the project",
        }
    ]


def test_local_links_need_the_file_and_the_anchor(run_check: Run) -> None:
    code, report = run_check("links-local")
    assert code == 1
    assert [(f["rule"], f["line"], f.get("url")) for f in report["findings"]] == [
        ("missing-anchor", 12, "#sec-nowhere"),
        ("missing-file", 12, "data/table.csv"),
    ]


def test_rendered_html_links_are_checked_when_it_exists(
    fixture_project: Callable[[str], Path], capsys: Any
) -> None:
    root = fixture_project("clean")
    (root / "_manuscript").mkdir()
    (root / "_manuscript" / "index.html").write_text(
        '<html><body>\n<h2 id="intro">Intro</h2>\n<a href="#intro">ok</a>\n'
        '<a href="#nowhere">bad</a>\n<img src="figure-missing.png">\n'
        '<a href="https://example.org/">remote</a>\n</body></html>\n'
    )
    assert main(["check", "--project", str(root), "--offline", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(f["rule"], f["path"], f["line"], f["url"]) for f in report["findings"]] == [
        ("missing-anchor", "_manuscript/index.html", 4, "#nowhere"),
        ("missing-file", "_manuscript/index.html", 5, "figure-missing.png"),
    ]


def test_unknown_configuration_key_is_a_config_error_naming_it(
    fixture_project: Callable[[str], Path], capsys: Any
) -> None:
    root = fixture_project("bad-config")
    assert main(["check", "--project", str(root), "--offline"]) == 2
    assert capsys.readouterr().err == (
        "galley: error: pyproject.toml: [tool.galley.check] has an unknown key `disabel`; "
        "known keys: disable, exclude\n"
    )


def test_disabled_rule_is_not_reported(fixture_project: Callable[[str], Path], capsys: Any) -> None:
    root = fixture_project("unused-entry")
    (root / "pyproject.toml").write_text('[tool.galley.check]\ndisable = ["unused-entry"]\n')
    assert main(["check", "--project", str(root), "--offline"]) == 0
    assert capsys.readouterr().out == "galley check: no problems found\n"


def test_entry_citeproc_cannot_format_is_unrenderable(tmp_path: Path) -> None:
    # pandoc cleans up every BibTeX date we tried, but CSL JSON from other tools can carry an
    # empty date, on which citeproc-py raises.
    bib = parse_bibliography("@book{b,\n  title = {T},\n  year = {2001}\n}\n", "refs.bib")
    item = {"id": "b", "type": "book", "title": "T", "issued": {"date-parts": [[]]}}
    [finding] = unrenderable_entries([item], {e.key: e for e in bib.entries}, tmp_path)
    assert (finding.rule, finding.path, finding.line) == ("unrenderable-entry", "refs.bib", 1)
    assert finding.message == (
        "citeproc-py cannot format entry `b` in APA: "
        "TypeError: The following required arguments are missing: year"
    )
    # The verdict is cached, keyed by the entry's CSL JSON.
    assert (tmp_path / ".galley" / "cache" / "citeproc.json").is_file()
    again = unrenderable_entries([item], {e.key: e for e in bib.entries}, tmp_path)
    assert again == [finding]


def test_unknown_var_and_meta_keys_are_errors_where_written(run_check: Run) -> None:
    code, report = run_check("shortcodes")
    assert code == 1
    assert [(f["rule"], f["line"], f["message"], f["fix"]) for f in report["findings"]] == [
        (
            "unknown-var",
            12,
            "unknown var `counts` (Quarto and `galley build` show ?var:counts)",
            "define it in _variables.yml, or fix the name",
        ),
        (
            "unknown-meta",
            13,
            "unknown meta `titel` (Quarto and `galley build` show ?meta:titel)",
            "set it in the front matter or _quarto.yml, or fix the name",
        ),
    ]


def test_variables_a_step_has_yet_to_write_are_taken_on_trust(
    fixture_project: Callable[[str], Path], capsys: Any
) -> None:
    root = fixture_project("shortcodes")
    (root / "_variables.yml").unlink()
    (root / "pyproject.toml").write_text(
        '[tool.galley.steps.variables]\nscript = "make.py"\noutputs = ["_variables.yml"]\n',
        encoding="utf-8",
    )
    (root / "make.py").write_text("", encoding="utf-8")
    capsys.readouterr()
    main(["check", "--project", str(root), "--format", "json", "--offline"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [f["rule"] for f in findings] == ["unknown-meta"]
