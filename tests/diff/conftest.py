"""A real git repository of the article with two versions, and `galley diff v1` run on it once.

v1 is the article as it is. The working tree then edits a sentence holding a citation and a
cross-reference, adds a paragraph citing a new entry to the Conclusion, adds a keyword, changes a
data value behind Figure 1 and an activity behind a generated table cell of Table 2.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import copy_project, galley

OLD_SENTENCE = "million people are involved as active drug users [@bnn2024b] (see @fig-prevalence)."
NEW_SENTENCE = "million people use drugs [@bnn2024b] (see @fig-prevalence)."
CONCLUSION = "Second, an evidence-based and human rights approach"
ADDED_PARAGRAPH = "A later survey may revise these numbers [@doe2020].\n\n"
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


@dataclass(frozen=True)
class Revised:
    root: Path
    result: subprocess.CompletedProcess[str]

    @property
    def output(self) -> Path:
        return self.root / "_manuscript"


@pytest.fixture(scope="session")
def revised(tmp_path_factory: pytest.TempPathFactory) -> Revised:
    root = copy_project(tmp_path_factory.mktemp("diff") / "paper")
    (root / ".gitignore").write_text("/_manuscript/\n/.galley/\n/figures/\n/_variables.yml\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "submitted")
    git(root, "tag", "v1")
    article = root / "manuscript" / "index.qmd"
    edit(article, OLD_SENTENCE, NEW_SENTENCE)
    edit(article, CONCLUSION, ADDED_PARAGRAPH + CONCLUSION)
    edit(article, "  - UNODC\n", "  - UNODC\n  - drug policy\n")
    with open(root / "references.bib", "a", encoding="utf-8") as bib:
        bib.write(NEW_ENTRY)
    edit(root / "data" / "prevalence.csv", "2021,15-64,1.95,", "2021,15-64,1.99,")
    edit(
        root / "data" / "activities.csv",
        "institutional capacity,Modern forensic technology,",
        "institutional capacity,Modern forensic laboratories,",
    )
    return Revised(root, galley("diff", "v1", cwd=root))
