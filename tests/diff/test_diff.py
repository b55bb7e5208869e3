"""`galley diff REV` on a temporary git repository with two commits: the second changes a
sentence, adds a citation (and its reference) and changes a data value behind a figure."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import copy_project

NEW_ENTRY = """
@article{doe2020,
  author = {Doe, Jane},
  title = {A test of revisions},
  journal = {Journal of Tests},
  year = {2020},
  volume = {1},
  pages = {1--2},
}
"""


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def two_commits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("diff") / "paper")
    (root / ".gitignore").write_text("/_manuscript/\n/.galley/\n/figures/\n/_variables.yml\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "submitted")
    git(root, "tag", "submitted-v1")
    article = root / "manuscript" / "index.qmd"
    edit(
        article,
        "This threat can no longer be overcome by a national approach alone.",
        "This threat can no longer be met by one country alone.",
    )
    edit(article, "[@saputra2024]", "[@saputra2024; @doe2020]")
    with open(root / "references.bib", "a", encoding="utf-8") as bib:
        bib.write(NEW_ENTRY)
    edit(root / "data" / "prevalence.csv", "2021,15-64,1.95,", "2021,15-64,1.99,")
    git(root, "commit", "-q", "-a", "-m", "revised")
    return root


class _Page(HTMLParser):
    """The text under each element with an id, and the number of images."""

    def __init__(self) -> None:
        super().__init__()
        self.by_id: dict[str, str] = {}
        self.open: list[str | None] = []
        self.images = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images += 1
        else:
            self.open.append(dict(attrs).get("id"))

    def handle_endtag(self, tag: str) -> None:
        if self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for ident in self.open:
            if ident:
                self.by_id[ident] = self.by_id.get(ident, "") + data


def read_page(path: Path) -> tuple[_Page, str]:
    html = path.read_text(encoding="utf-8")
    page = _Page()
    page.feed(html)
    return page, html


def test_diff_reports_the_sentence_the_citation_and_the_figure(
    two_commits: Path, run_galley: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    result = run_galley("diff", "submitted-v1", cwd=two_commits)
    assert result.returncode == 0, result.stderr
    page, html = read_page(two_commits / "_manuscript" / "diff.html")
    summary = {key: " ".join(text.split()) for key, text in page.by_id.items()}
    # overcome, a, national, approach and "[@saputra2024]." out; met, one, country and
    # "[@saputra2024;", "@doe2020]." in.
    # ... and in Figure 1's alt text, written from the data: 1.95 out, 1.99 in. That paragraph
    # is next to the sentence's, so the two make one passage.
    assert summary["count-prose"] == "Prose: 6 words inserted, 6 deleted, in 1 passage"
    assert "<del>1.95</del><ins>1.99</ins> percent in 2021" in html
    assert summary["count-citations"] == (
        "Citations: 1 added, 0 removed, 0 cited more or less often"
    )
    assert summary["count-references"] == "References: 1 added, 0 removed, 0 changed"
    # The new entry also changes the table of sources, which is computed from the bibliography.
    assert summary["count-elements"] == "Figures and tables: 2 changed of 4"
    assert "<del>overcome</del><ins>met</ins>" in html
    assert "<del>national approach</del><ins>country</ins>" in html
    assert re.search(r"Citations added: <code>doe2020</code>", html)
    assert re.search(r"References added: <code>doe2020</code>", html)
    figure = summary["element-fig-prevalence"]
    assert figure.startswith("fig-prevalence: changed")
    hashes = re.findall(r"sha256:([0-9a-f]{12})", figure)
    assert len(hashes) == 2 and hashes[0] != hashes[1]
    assert page.images == 2  # before and after, inlined
    assert "element-fig-milestones" not in summary  # unchanged figures are not listed
    assert "galley: wrote _manuscript/diff.html" in result.stderr


def test_an_unknown_revision_is_an_error_that_names_it(
    two_commits: Path, run_galley: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    result = run_galley("diff", "submitted-v9", cwd=two_commits)
    assert result.returncode == 1
    assert result.stderr == (
        "galley: error: `submitted-v9` is not a commit of this repository; name a tag, branch "
        "or commit (see `git tag` and `git log --oneline`)\n"
    )


def test_a_project_outside_git_is_an_error(
    project_copy: Path, run_galley: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    result = run_galley("diff", "HEAD", cwd=project_copy)
    assert result.returncode == 1
    assert "is not in a git repository" in result.stderr
