"""What the HTML edition ships beside the article for a reviewer: the files each figure and table
was made from (byte for byte, linked from its source note), the manifest, and each reviewer
notebook as a readable page; the anonymous edition the same, without author traces."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat

from galley.project import load_project
from galley.steps.config import load_steps
from galley.steps.reviewer_files import step_files
from tests.conftest import galley
from tests.steps.conftest import write_project

HREF = re.compile(r'href="([^"#]+)"')


def _links(html: Path) -> set[Path]:
    text = html.read_text(encoding="utf-8")
    return {(html.parent / href).resolve() for href in HREF.findall(text) if "://" not in href}


def test_every_step_input_is_in_the_edition_byte_for_byte_and_linked(built_project: Path) -> None:
    out = built_project / "_manuscript"
    project = load_project(built_project)
    files = step_files(project, load_steps(project))
    assert "data/prevalence.csv" in files and "data/datapackage.json" in files
    html = out / "manuscript" / "index.html"
    pages = [page for page in _links(html) if page.suffix == ".html"]
    links = _links(html).union(*(_links(page) for page in pages))  # the notebooks' pages
    for path in files:
        assert (out / path).read_bytes() == (built_project / path).read_bytes(), path
        assert (out / path).resolve() in links, path


def test_the_manifest_is_linked_from_other_formats(built_project: Path) -> None:
    html = (built_project / "_manuscript/manuscript/index.html").read_text(encoding="utf-8")
    nav = html[html.index('aria-label="Other formats"') :].split("</nav>")[0]
    assert '<a href="../manifest.json" class="other-format">Manifest (JSON)</a>' in nav
    manifest = json.loads((built_project / "_manuscript/manifest.json").read_text("utf-8"))
    assert len(manifest["steps"]) == 5


def test_a_notebook_page_shows_the_data_preview_and_the_figure_and_links_its_ipynb(
    built_project: Path,
) -> None:
    page = (built_project / "_manuscript/notebooks/prevalence.html").read_text(encoding="utf-8")
    assert '<a href="prevalence.ipynb"><code>prevalence.ipynb</code></a>' in page
    assert "<th>past_year_prevalence_pct</th>" in page  # the CSV preview, as a table
    assert re.search(r'<img [^>]*src="data:image/png;base64,', page)  # the figure, inline
    assert "scripts/fig_prevalence.py" in page and "fig.savefig" not in page[:200]
    assert '"cells"' not in page  # a page, not the notebook's JSON


NOTEBOOK_STEP = """
[tool.galley.steps.where]
script = "scripts/where.ipynb"
inputs = ["data/a.csv"]
outputs = ["out/where.txt"]
"""


def _notebook() -> str:
    cells = [
        "import os, pathlib\nprint('working in', os.getcwd())\n"
        "out = pathlib.Path(os.environ['GALLEY_OUTPUT_ROOT'])\n"
        "(out / 'out').mkdir(exist_ok=True)\n(out / 'out/where.txt').write_text('x')"
    ]
    made = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(c) for c in cells],
        metadata={
            "authors": [{"name": "Jane Doe"}],
            "kernelspec": {"name": "python3", "display_name": "Python 3"},
        },
    )
    made.cells[0].metadata = {"editor": "jane.doe@example.org"}
    return str(nbformat.writes(made))


def test_the_anonymous_edition_ships_the_files_without_author_traces(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "paper",
        NOTEBOOK_STEP,
        {
            "scripts/where.ipynb": _notebook(),
            "data/a.csv": "n\n1\n",
            "index.qmd": "---\nauthor:\n  - name: Jane Doe\n    email: jane@example.org\n---\n\nText.\n",
            "scripts/helper.py": "# helper\n# written by JANE DOE\n",
        },
    )
    (root := project.root).joinpath("pyproject.toml").write_text(
        root.joinpath("pyproject.toml")
        .read_text(encoding="utf-8")
        .replace('inputs = ["data/a.csv"]', 'inputs = ["data/a.csv", "scripts/helper.py"]'),
        encoding="utf-8",
    )
    result = galley("build", "--anonymous", "--to", "html", cwd=root)
    assert result.returncode == 0, result.stderr
    # A file shipped byte for byte that names an author is the author's to fix: said, with its line.
    assert (
        "galley: warning: scripts/helper.py:2: names `Jane Doe`, and the anonymous edition ships "
        "this file as it is; remove the name from the file, or send the reviewers an edition "
        "without it"
    ) in result.stderr.splitlines()
    out = root / "_manuscript" / "anonymous"
    assert (out / "data/a.csv").read_bytes() == (root / "data/a.csv").read_bytes()
    assert (out / "scripts/where.ipynb").is_file()
    assert "git" not in json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    reviewer = nbformat.read(out / "notebooks/where.ipynb", as_version=4)
    assert set(reviewer.metadata) <= {"kernelspec", "language_info"}
    assert all(cell.metadata == {} for cell in reviewer.cells)
    printed = [o["text"] for c in reviewer.cells for o in c.get("outputs", []) if "text" in o]
    assert any(text.startswith("working in ") for text in printed)
    for name in ("notebooks/where.ipynb", "notebooks/where.html", "manifest.json"):
        text = (out / name).read_text(encoding="utf-8")
        assert str(root.resolve()) not in text and "jane.doe" not in text, name
    # The normal edition's notebook has them: the anonymous one took them out.
    assert galley("build", "--to", "html", cwd=root).returncode == 0
    normal = (root / "_manuscript/notebooks/where.ipynb").read_text(encoding="utf-8")
    assert str(root.resolve()) in normal and "jane.doe" in normal


def test_self_contained_is_an_edition_of_its_own_leaving_the_normal_page_as_it_was(
    project_copy: Path,
) -> None:
    assert galley("build", "--to", "html", cwd=project_copy).returncode == 0
    normal = project_copy / "_manuscript" / "manuscript" / "index.html"
    before = normal.read_bytes()
    result = galley("build", "--self-contained", "--to", "html", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    assert normal.read_bytes() == before
    alone = project_copy / "_manuscript" / "self-contained" / "manuscript" / "index.html"
    assert "data:image/png;base64," in alone.read_text(encoding="utf-8")
    assert (
        "wrote _manuscript/self-contained/manuscript/index.html (the self-contained edition)"
        in result.stderr
    )
    again = galley("build", "--to", "html", cwd=project_copy)
    assert "up to date" in again.stderr and normal.read_bytes() == before


def test_a_notebook_page_is_made_again_only_when_its_notebook_changed(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "paper",
        NOTEBOOK_STEP,
        {"scripts/where.ipynb": _notebook(), "data/a.csv": "n\n1\n"},
    )
    root = project.root
    assert galley("build", "--to", "html", cwd=root).returncode == 0
    kept = list((root / ".galley" / "cache" / "notebook-pages").glob("*.html"))
    assert len(kept) == 1
    # The page comes from what was kept while the notebook is the same (a mark shows it)...
    kept[0].write_text("kept page", encoding="utf-8")
    (root / "_manuscript" / "notebooks" / "where.html").unlink()
    (root / ".galley" / "cache" / "formats.json").unlink()  # a render, the step kept
    assert galley("build", "--to", "html", cwd=root).returncode == 0
    page = root / "_manuscript" / "notebooks" / "where.html"
    assert page.read_text(encoding="utf-8") == "kept page"
    # ...and is made anew, the old one dropped, when the data it shows changed.
    (root / "data" / "a.csv").write_text("n\n2\n", encoding="utf-8")
    assert galley("build", "--to", "html", cwd=root).returncode == 0
    assert "kept page" not in page.read_text(encoding="utf-8")
    assert [p.name for p in kept[0].parent.glob("*.html")] != [kept[0].name]
    assert len(list(kept[0].parent.glob("*.html"))) == 1
