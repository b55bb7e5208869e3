"""`galley diff v1` on a real git repository (tests/diff/conftest.py): the page as the reader
sees the paper, the DOCX with Word's tracked changes, the marked PDF."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from tests.diff.conftest import Revised


class _Text(HTMLParser):
    """The page's text (what a reader reads), without its style."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self.skip = False

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def page(revised: Revised) -> tuple[str, str]:
    html = (revised.output / "diff.html").read_text(encoding="utf-8")
    text = _Text()
    text.feed(html)
    return html, " ".join("".join(text.parts).split())


def test_diff_writes_the_page_the_docx_and_the_pdf(revised: Revised) -> None:
    assert revised.result.returncode == 0, revised.result.stderr
    assert "galley: wrote _manuscript/diff.html, diff.docx and diff.pdf" in revised.result.stderr
    assert (revised.output / "diff.pdf").read_bytes().startswith(b"%PDF-")


def test_the_page_shows_the_paper_as_printed_not_its_markdown(revised: Revised) -> None:
    html, text = page(revised)
    for syntax in ("[@", "@fig-", "@tbl-", "{#", "![", "{{<", "|---", "| ", ":---"):
        assert syntax not in text, syntax
    # The edited sentence, its citation as APA prints it and its cross-reference as "Figure 1".
    assert (
        "million people <del>are</del><ins>use</ins> <del>involved as active drug users</del>"
        "<ins>drugs</ins> (Badan Narkotika Nasional, 2024b) (see Figure\u00a01)."
    ) in html


def test_a_changed_table_cell_is_marked_within_its_table(revised: Revised) -> None:
    html, _ = page(revised)
    assert (
        '<td class="changed">Modern forensic <del>technology</del><ins>laboratories</ins></td>'
    ) in html
    # Its row's other cells are there, unmarked.
    assert "<td>“the use of modern forensic technology”</td>" in html


def test_the_summary_counts_added_removed_and_changed_apart(revised: Revised) -> None:
    html, _ = page(revised)
    rows = dict(re.findall(r'<tr id="count-(\w+)">(.*?)</tr>', html))
    numbers = {key: re.findall(r"<td>(\d+)</td>", row) for key, row in rows.items()}
    assert numbers == {
        "title": ["0", "0", "1"],  # the keywords
        # the paragraph added to the Conclusion; the edited sentence's paragraph
        "text": ["1", "0", "1"],
        # Figure 1 (image and alt text), Table 1 (counts from the bibliography), Table 2's cell
        "figures": ["0", "0", "3"],
        "references": ["1", "0", "0"],
    }


def test_each_change_is_labelled_with_the_section_it_is_in_now(revised: Revised) -> None:
    html, _ = page(revised)
    labels = re.findall(r'<p class="where" id="change-\d+-where">(.*?)</p>', html)
    assert "4 Conclusion · Paragraph added" in labels
    assert "1 Introduction · Paragraph changed" in labels
    assert "3 Result and Discussion · Table tbl-activities changed" in labels
    assert "References · Reference doe2020 added" in labels
    assert "Title block · Keywords changed" in labels
    assert "UNODC;<ins> drug policy;</ins> Indonesian" in html
    assert "<ins>A later survey may revise these numbers (Doe, 2020).</ins>" in html


def test_a_changed_figure_shows_both_images_with_their_hashes(revised: Revised) -> None:
    html, _ = page(revised)
    figure = re.search(
        r'<section class="change changed" id="change-\d+">[^§]*?fig-prevalence.*?</section>', html
    )
    assert figure is not None
    hashes = re.findall(r"sha256:([0-9a-f]{12})", figure[0])
    assert len(hashes) == 2 and hashes[0] != hashes[1]
    assert figure[0].count('<img src="data:image/png;base64,') == 2
    # The alt text is written from the data: the changed value is marked in it.
    assert "2019, <del>1.95</del><ins>1.99</ins> percent in 2021" in figure[0]


def test_an_unknown_revision_is_an_error_that_names_it(
    revised: Revised, run_galley: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    result = run_galley("diff", "v9", cwd=revised.root)
    assert result.returncode == 1
    assert result.stderr == (
        "galley: error: `v9` is not a commit of this repository; name a tag, branch "
        "or commit (see `git tag` and `git log --oneline`)\n"
    )


def test_a_project_outside_git_is_an_error(
    project_copy: Path, run_galley: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    result = run_galley("diff", "HEAD", cwd=project_copy)
    assert result.returncode == 1
    assert "is not in a git repository" in result.stderr
