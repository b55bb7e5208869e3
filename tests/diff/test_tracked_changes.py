"""`_manuscript/diff.docx` carries Word's revisions that accept to the current manuscript and reject
to the submitted one; `diff.pdf` shows both texts. Checked against the DOCX `galley build` makes of
each version, by XML transformation (tests/diff/revisions.py) and by LibreOffice when installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import galley
from tests.diff.conftest import Revised, git
from tests.diff.revisions import W, document, paragraphs, resolve

# The paragraphs both DOCX write alike: title, headings, body, captions, table cells, references.
# (The author block and abstract are laid out differently: the normal DOCX writes one paragraph per
# author and affiliation.)
COMPARED = {
    "Title", "Heading1", "Heading2", "Heading3", "FirstParagraph", "BodyText", "ImageCaption",
    "TableCaption", "Compact", "Bibliography",
}  # fmt: skip
SOFFICE = shutil.which("soffice")
MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Resolve(source As String, target As String, command As String)
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = &quot;Hidden&quot;
  load(0).Value = True
  document = StarDesktop.loadComponentFromURL(ConvertToURL(source), &quot;_blank&quot;, 0, load())
  helper = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
  helper.executeDispatch(document.CurrentController.Frame, command, &quot;&quot;, 0, Array())
  Dim store(0) As New com.sun.star.beans.PropertyValue
  store(0).Name = &quot;FilterName&quot;
  store(0).Value = &quot;Text&quot;
  document.storeToURL(ConvertToURL(target), store())
  document.close(True)
End Sub
</script:module>
"""


@pytest.fixture(scope="module")
def normal_docx(revised: Revised, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The DOCX `galley build` writes of the working tree and of v1 (in a git worktree)."""
    built = galley("build", "--to", "docx", cwd=revised.root)
    assert built.returncode == 0, built.stderr
    v1 = tmp_path_factory.mktemp("v1") / "paper"
    git(revised.root, "worktree", "add", "-q", str(v1), "v1")
    built = galley("build", "--to", "docx", cwd=v1)
    assert built.returncode == 0, built.stderr
    return {
        "now": revised.output / "manuscript" / "index.docx",
        "v1": v1 / "_manuscript" / "manuscript" / "index.docx",
    }


def test_every_revision_is_by_galley_and_dated(revised: Revised) -> None:
    root = document(revised.output / "diff.docx")
    marks = [*root.iter(W + "ins"), *root.iter(W + "del")]
    assert {m.tag for m in marks} == {W + "ins", W + "del"}
    assert {m.get(W + "author") for m in marks} == {"galley"}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", m.get(W + "date")) for m in marks)
    assert len({m.get(W + "id") for m in marks}) == len(marks)


def test_accept_all_gives_the_current_manuscript(
    revised: Revised, normal_docx: dict[str, Path]
) -> None:
    accepted = paragraphs(resolve(revised.output / "diff.docx", accept=True), COMPARED)
    assert accepted == paragraphs(document(normal_docx["now"]), COMPARED)
    assert any("million people use drugs (Badan Narkotika" in text for text in accepted)
    assert "Modern forensic laboratories" in accepted


def test_reject_all_gives_the_submitted_manuscript(
    revised: Revised, normal_docx: dict[str, Path]
) -> None:
    rejected = paragraphs(resolve(revised.output / "diff.docx", accept=False), COMPARED)
    assert rejected == paragraphs(document(normal_docx["v1"]), COMPARED)
    assert any("are involved as active drug users (Badan" in text for text in rejected)
    assert "Modern forensic technology" in rejected


def _libreoffice(docx: Path, command: str, folder: Path) -> list[str]:
    """The text LibreOffice saves after running `command` (.uno:AcceptAllTrackedChanges…)."""
    profile = folder / "profile"
    if not profile.exists():
        subprocess.run(
            [SOFFICE, "--headless", f"-env:UserInstallation={profile.as_uri()}",
             "--terminate_after_init"],
            check=True, capture_output=True,
        )  # fmt: skip
        (profile / "user" / "basic" / "Standard" / "Module1.xba").write_text(MACRO)
    target = folder / f"{command.rsplit(':', 1)[1]}.txt"
    macro = f'macro:///Standard.Module1.Resolve("{docx}","{target}","{command}")'
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation={profile.as_uri()}", macro],
        check=True,
        capture_output=True,
        timeout=120,
    )
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    return [" ".join(line.split()) for line in lines if line.strip()]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (`soffice`) is not installed")
def test_libreoffice_accepts_and_rejects_to_the_two_versions(
    revised: Revised, tmp_path: Path
) -> None:
    docx = revised.output / "diff.docx"
    accepted = _libreoffice(docx, ".uno:AcceptAllTrackedChanges", tmp_path)
    rejected = _libreoffice(docx, ".uno:RejectAllTrackedChanges", tmp_path)
    assert accepted == paragraphs(resolve(docx, accept=True))
    assert rejected == paragraphs(resolve(docx, accept=False))
    assert "A later survey may revise these numbers (Doe, 2020)." in accepted
    assert "A later survey may revise these numbers (Doe, 2020)." not in rejected


def test_the_marked_pdf_holds_both_texts(revised: Revised) -> None:
    pdf = PdfReader(revised.output / "diff.pdf")
    words = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Changes since v1" in words
    # deleted and inserted words side by side, as Word shows them
    assert "areuse involved as active drug usersdrugs (Badan Narkotika Nasional, 2024b)" in words
    assert "Modern forensic technologylaboratories" in words
    assert "[@" not in words and "@fig-" not in words
