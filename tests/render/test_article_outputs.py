"""The article's three outputs hold the whole seed text, the title block, APA citations and a
reference list with exactly one entry per cited work."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import docx
import pypdf
import pytest

from tests.render.pdf_reading import reading_text
from tests.render.seed import letters, missing_sentences

TITLE = "Diplomatic Relations between the Indonesian National Police and UNODC in Drug Eradication Efforts"
AUTHORS = ("Ibrahim Rasyid", "Razfi Ramadhan")
HEADINGS = ("Introduction", "Methods", "Result and Discussion", "Conclusion", "References")
# Every author-year citation of the article, as APA renders it in the text.
IN_TEXT = (
    "Newman, 2001",
    "Saputra, 2024",
    "United Nations Office on Drugs and Crime, 2023",
    "Badan Narkotika Nasional, 2024b",
    "Insights Indonesia, 2024",
    "Badan Narkotika Nasional, 2024a",
    "Paris, 2001",
    "Buzan & Wæver, 2003",
    "Buzan (2008)",
    "Krasner (1983)",
    "United Nations, 1988",
    "Wendt’s (1992)",
)
CITE_KEY = re.compile(r"(?<![\w@])@([A-Za-z0-9_][\w:.#$%&+?<>~/-]*\w|[A-Za-z0-9_])")


def cited_keys(project: Path) -> set[str]:
    text = (project / "manuscript" / "index.qmd").read_text(encoding="utf-8")
    text = text.split("\n---\n", 1)[1]  # front matter's e-mails are not citations
    return {k for k in CITE_KEY.findall(text) if not re.match(r"(fig|tbl|sec|eq)-", k)}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts)


def docx_text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


# The PDF in reading order: a figure or table floated to the top of a page does not split the
# sentence that runs on to that page (tests/render/pdf_reading.py).
OUTPUTS = {"html": html_text, "pdf": reading_text, "docx": docx_text}


@pytest.fixture(params=sorted(OUTPUTS))
def rendered(request: pytest.FixtureRequest, built_project: Path) -> tuple[str, str]:
    fmt = request.param
    path = built_project / "_manuscript" / "manuscript" / f"index.{fmt}"
    return fmt, OUTPUTS[fmt](path)


def test_every_output_has_title_authors_and_headings(rendered: tuple[str, str]) -> None:
    fmt, text = rendered
    flat = letters(text)
    for expected in (TITLE, *AUTHORS, *HEADINGS):
        assert letters(expected) in flat, f"{fmt}: {expected!r} missing"


def test_every_output_holds_every_seed_sentence(rendered: tuple[str, str]) -> None:
    fmt, text = rendered
    assert missing_sentences(text) == [], fmt


def test_every_citation_renders_in_apa_form(rendered: tuple[str, str]) -> None:
    fmt, text = rendered
    flat = letters(text)
    for citation in IN_TEXT:
        assert letters(citation) in flat, f"{fmt}: in-text citation {citation!r} missing"
    assert "???" not in text and "?@" not in text
    assert not re.search(r"(?<![\w.])@[a-z]+\d{4}", text), f"{fmt}: a bare @key survived"


def test_html_reference_list_has_one_entry_per_cited_work_in_apa_order(
    built_project: Path,
) -> None:
    html = (built_project / "_manuscript/manuscript/index.html").read_text(encoding="utf-8")
    entries = re.findall(r'<div id="ref-([^"]+)" class="csl-entry"[^>]*>\s*(.*?)</div>', html, re.S)
    keys = [key for key, _ in entries]
    assert sorted(keys) == sorted(cited_keys(built_project))
    assert len(keys) == len(set(keys))
    firsts = [
        re.sub(r"[^\w\s]", "", re.sub(r"<[^>]+>", "", body).split("(")[0]).strip().casefold()
        for _, body in entries
    ]
    assert firsts == sorted(firsts), "reference list is not in APA (author) order"


def test_html_title_block_has_affiliation_emails_abstract_keywords(built_project: Path) -> None:
    page = (built_project / "_manuscript/manuscript/index.html").read_text(encoding="utf-8")
    html = page[page.index("<body") :]
    assert "University of Darussalam Gontor" in html
    assert 'href="mailto:ibrahimrasyid55@student.hi.unida.gontor.ac.id"' in html
    rasyid = html.index("Ibrahim")
    assert (
        rasyid < html.index("ibrahimrasyid55@") < html.index("Razfi") < html.index("razfiramadhan")
    )
    assert 'class="abstract"' in html and "Keywords:" in html
    assert 'href="index.pdf"' in html and 'href="index.docx"' in html
    assert 'id="TOC"' in html


def test_html_requests_nothing_from_other_hosts(built_project: Path) -> None:
    html = (built_project / "_manuscript/manuscript/index.html").read_text(encoding="utf-8")
    loaded = re.findall(r'<(?:script|link|img|iframe)\b[^>]*(?:src|href)="([^"]+)"', html)
    assert loaded, "expected at least the figures"
    assert [u for u in loaded if re.match(r"^(https?:)?//", u)] == []
    for src in re.findall(r'<img\b[^>]*src="([^"]+)"', html):
        assert (built_project / "_manuscript/manuscript" / src).is_file(), src


def test_docx_uses_word_styles_an_editor_can_restyle(built_project: Path) -> None:
    document = docx.Document(str(built_project / "_manuscript/manuscript/index.docx"))
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Bibliography"} <= styles
    # Figures and tables sit in one-cell layout tables with their caption, as Quarto writes them.
    cells = [p for t in document.tables for c in t._cells for p in c.paragraphs]
    captions = [p.style for p in document.paragraphs + cells if p.style.name.endswith("Caption")]
    assert captions, "no caption paragraphs"
    assert all(
        s.name == "Caption" or (s.base_style is not None and s.base_style.name == "Caption")
        for s in captions
    )


def test_pdf_has_page_numbers_and_running_header(built_project: Path) -> None:
    reader = pypdf.PdfReader(built_project / "_manuscript/manuscript/index.pdf")
    assert len(reader.pages) >= 3
    second = reader.pages[1].extract_text()
    assert "Rasyid" in second.splitlines()[0] or "Diplomatic" in second.splitlines()[0]
    assert second.strip().splitlines()[-1].strip() == "2"


def test_every_generated_figure_and_table_shows_its_source(built_project: Path) -> None:
    import hashlib

    html = (built_project / "_manuscript/manuscript/index.html").read_text(encoding="utf-8")
    flat = re.sub(r"\s+", " ", html)
    for label, script, data in (
        ("fig-prevalence", "scripts/fig_prevalence.py", "data/prevalence.csv"),
        ("fig-milestones", "scripts/fig_milestones.py", "data/milestones.csv"),
        ("tbl-activities", "scripts/tbl_activities.py", "data/activities.csv"),
        ("tbl-sources", "scripts/tbl_sources.py", "references.bib"),
    ):
        sha = hashlib.sha256((built_project / data).read_bytes()).hexdigest()[:8]
        after = flat[flat.index(f'id="{label}"') :]
        note = after[after.index('class="galley-source-note"') :].split("</div>")[0]
        assert f'<a href="../{script}"><code>{script}</code></a>' in note, label
        assert (
            f'<a href="../{data}"><code>{data}</code></a> <span class="galley-hash">sha256:{sha}'
            in note
        ), label
        notebook = re.search(r'href="([^"]+)">notebook<', note)
        assert notebook and notebook[1].endswith(".html"), label
        assert (built_project / "_manuscript/manuscript" / notebook[1]).is_file()
