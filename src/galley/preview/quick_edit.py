"""The preview's fast path for a prose edit: when a save changed one plain paragraph
(galley.preview.paragraphs), render that paragraph alone, before and after, through the
article's own HTML pass, and put the new rendering where the old one stands in the page.

Safe by construction and checked: the old paragraph's rendering must be found exactly once in the
page, so it rendered alone as it did in the article, and the new one, holding the same citations
in the same order, renders alone as it will in the article. Anything else (the front matter or
the included files changed, the old rendering not found or found twice, pandoc refusing the
paragraph) answers None, and the preview renders the whole article as before. The preview renders
the whole article once the author pauses anyway, so the page ends as `galley build` writes it.
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from galley.engines.options import RenderOptions
from galley.errors import GalleyError
from galley.preview.paragraphs import plain_edit
from galley.project import Project
from galley.reading.sources import Source

# Ends the paragraph in the document rendered for it: what follows (the reference list, the
# appendix the HTML pass adds) is cut off. Raw HTML, so pandoc passes it through unchanged.
END = "<!-- galley-preview-paragraph-end -->"


@dataclass
class ShownPage:
    """The page the preview shows (as the build wrote it, without the reload script), the
    project and expanded sources it was rendered from, and the paragraphs rendered alone so far."""

    project: Project
    source: Source
    html: bytes
    rendered: dict[str, bytes] = field(default_factory=dict)

    def after_edit(self, source: Source) -> bytes | None:
        """The page for `source` when its change from the shown page's source is one plain
        paragraph; None when the whole article must be rendered."""
        shown, project = self.source, self.project
        if source.front_matter != shown.front_matter or source.files != shown.files:
            return None
        edit = plain_edit(shown.body, source.body)
        if edit is None:
            return None
        needed = [text for text in (edit.old, edit.new) if text not in self.rendered]
        try:
            with ThreadPoolExecutor(max_workers=2) as pool:
                done = list(pool.map(lambda text: _render(project, source, text), needed))
        except GalleyError:
            return None  # pandoc refused the paragraph alone: the whole render reports why
        self.rendered.update(zip(needed, done, strict=True))
        old, new = self.rendered[edit.old], self.rendered[edit.new]
        if self.html.count(old) != 1:
            return None
        page = self.html.replace(old, new)
        self.source, self.html = source, page
        return page


def _render(project: Project, source: Source, paragraph: str) -> bytes:
    """`paragraph` as the article's HTML pass renders it in a document of its own."""
    from galley.engines.pandoc import PandocEngine
    from galley.rendering import preflight
    from galley.util.atomic import staging

    alone = dataclasses.replace(source, body=f"{paragraph}\n\n{END}\n")
    with staging(project.cache_dir / "tmp", prefix="bib-") as bib_dir:
        options = RenderOptions(
            formats=["html"],
            source=alone,
            # A large bibliography cut to the paragraph's citations, as the build cuts it.
            bibliographies=preflight.small_bibliographies(project, alone, bib_dir),
            local_files={},  # a plain paragraph reads no local file
        )
        html = PandocEngine().html_pass(project, options, [])
    return html.split(END, 1)[0].strip("\n").encode()


def page_path(project: Project) -> Path:
    from galley.engines import edition

    return edition.edition_output(project, "", "html")
