"""Quarto syntax seen in other authors' articles, built with real pandoc and Typst: an include
path from the project's root (`{{< include /parts/x.md >}}`), `{{< lipsum >}}` filler text and a
bare `{{< placeholder >}}` image."""

from __future__ import annotations

import re
from pathlib import Path

from galley.reading.lipsum import numbers, paragraph
from tests.conftest import galley
from tests.render.fixtures import docx_xml, html, pdf_text, write_project


def paragraphs(page: str) -> list[str]:
    return re.findall(r"<p>([^<]*)</p>", page)


def test_an_include_path_starting_with_a_slash_is_read_from_the_project_root(
    tmp_path: Path,
) -> None:
    root = write_project(tmp_path, "title: T\n", "{{< include /parts/_intro.md >}}\n")
    (root / "parts").mkdir()
    (root / "parts" / "_intro.md").write_text("Intro from the root.\n", encoding="utf-8")
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 0, built.stderr
    assert "<p>Intro from the root.</p>" in html(root)
    assert galley("check", "--offline", cwd=root).returncode == 0


def test_a_missing_include_from_the_root_says_where_it_was_looked_for(tmp_path: Path) -> None:
    root = write_project(tmp_path, "title: T\n", "{{< include /parts/_gone.md >}}\n")
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 1
    assert built.stderr.startswith(
        "galley: error: doc/index.qmd:5: included file `/parts/_gone.md` does not exist; "
        "correct the path (it is relative to this file, or to the project's root when it starts "
        "with `/`)"
    )


def test_lipsum_writes_quartos_paragraph_counts_and_ranges(tmp_path: Path) -> None:
    body = "{{< lipsum 2 >}}\n\nBetween.\n\n{{< lipsum 4-3 >}}\n\nAfter.\n\n{{< lipsum >}}\n"
    root = write_project(tmp_path, "title: T\n", body)
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 0, built.stderr
    expected = [paragraph(n) for n in (1, 2)] + ["Between."] + [paragraph(n) for n in (4, 3)]
    expected += ["After."] + [paragraph(n) for n in range(1, 6)]
    assert paragraphs(html(root)) == expected
    assert expected[0].startswith("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ")
    assert len(set(expected)) == 5 + 2  # paragraphs 1 to 5 each its own text, and two lines


def test_lipsum_random_start_is_the_same_on_every_build_and_bad_arguments_warn(
    tmp_path: Path,
) -> None:
    body = "{{< lipsum 2 random=true >}}\n\n{{< lipsum many >}}\n"
    root = write_project(tmp_path, "title: T\n", body)
    first = galley("build", "--to", "html", cwd=root)
    assert first.returncode == 0, first.stderr
    assert (
        "galley: warning: doc/index.qmd:7: lipsum takes a count (`3`), a range (`2-4`) and "
        "`random=true`, not `many`; it renders as written"
    ) in first.stderr
    page = html(root)
    start = numbers(["2", "random=true"], "doc/index.qmd:5")
    assert start is not None and 1 <= start[0] <= 17 and start == [start[0], start[0] + 1]
    assert paragraphs(page)[:2] == [paragraph(n) for n in start]
    assert "{{&lt; lipsum many &gt;}}" in page
    (root / "_manuscript").rename(root / "first")
    assert galley("build", "--to", "html", cwd=root).returncode == 0
    assert html(root) == (root / "first" / "doc" / "index.html").read_text(encoding="utf-8")


def test_a_bare_placeholder_is_an_image_with_alt_text_in_every_format(tmp_path: Path) -> None:
    body = "Before.\n\n{{< placeholder 200 100 >}}\n\nAfter.\n"
    root = write_project(tmp_path, "title: T\n", body, "html docx typst")
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    assert "warning" not in built.stderr  # alt text, so the PDF stays PDF/UA-1
    page = html(root)
    assert re.search(
        r'<p><img src="data:image/svg\+xml;base64,[^"]+" alt="Placeholder image, 200 × 100" />',
        page,
    )
    assert "<figure" not in page and "<figcaption" not in page  # an image, as Quarto's
    assert 'descr="Placeholder image, 200 × 100"' in docx_xml(root)
    assert "Before. 200 × 100 After." in pdf_text(root)  # the SVG's own label, drawn by Typst
