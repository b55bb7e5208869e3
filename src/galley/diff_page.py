"""The page `galley diff` writes: a summary of counts, then the changed prose with inserted and
deleted words, the citations and references, and the figures and tables side by side. One
self-contained HTML file (images inlined), readable offline like the article."""

from __future__ import annotations

import base64
import mimetypes
from html import escape

from galley.revision_diff import Comparison, Version

CONTEXT_WORDS = 20  # unchanged words shown on each side of a change
STYLE = """
:root { --text: #1d1d1f; --muted: #55555b; --bg: #fff; --rule: #d8d8dc; --ins: #dcf5e3; --ins-text: #0b4a1e; --del: #fbe0e0; --del-text: #7a1010; color-scheme: light dark; }
@media (prefers-color-scheme: dark) { :root { --text: #e8e8ea; --muted: #b4b4bb; --bg: #141416; --rule: #3a3a40; --ins: #143d22; --ins-text: #c8f5d4; --del: #4a1a1a; --del-text: #ffd6d6; } }
html { background: var(--bg); color: var(--text); }
body { font-family: Georgia, serif; line-height: 1.6; max-width: 52rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1, h2, h3 { font-family: "Helvetica Neue", Arial, sans-serif; line-height: 1.25; }
.summary { border: 1px solid var(--rule); border-radius: 6px; padding: 0.5rem 1.25rem; }
.where { font: 0.8rem/1.4 ui-monospace, monospace; color: var(--muted); }
ins { background: var(--ins); color: var(--ins-text); text-decoration: underline; }
del { background: var(--del); color: var(--del-text); text-decoration: line-through; }
.passage { border-left: 3px solid var(--rule); padding-left: 1rem; margin: 1.25rem 0; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.pair figure { margin: 0; }
.pair img { max-width: 100%; height: auto; background: #fff; }
.pair pre { white-space: pre-wrap; font-size: 0.8rem; }
code { font-size: 0.85em; }
@media (max-width: 600px) { .pair { grid-template-columns: 1fr; } }
"""


def _list(items: list[str]) -> str:
    if not items:
        return "none"
    return ", ".join(f"<code>{escape(item)}</code>" for item in items)


def _summary(c: Comparison) -> str:
    refs = c.references_added, c.references_removed, c.references_changed
    elements = c.elements_changed
    return (
        '<section class="summary" aria-labelledby="summary-title">'
        '<h2 id="summary-title">Summary</h2><ul>'
        f'<li id="count-prose">Prose: <strong>{c.words_inserted}</strong> words inserted, '
        f"<strong>{c.words_deleted}</strong> deleted, in {len(c.passages)} "
        f"passage{'s' if len(c.passages) != 1 else ''}</li>"
        f'<li id="count-citations">Citations: {len(c.citations_added)} added, '
        f"{len(c.citations_removed)} removed, {len(c.citations_recounted)} cited more or less "
        "often</li>"
        f'<li id="count-references">References: {len(refs[0])} added, {len(refs[1])} removed, '
        f"{len(refs[2])} changed</li>"
        f'<li id="count-elements">Figures and tables: {len(elements)} changed of '
        f"{len(set(c.old.elements) | set(c.new.elements))}</li>"
        "</ul></section>"
    )


def _shorten(text: str, after_change: bool, before_change: bool) -> str:
    """Unchanged text between changes, cut to the words next to them when it is long."""
    words = text.split(" ")
    if len(words) <= 2 * CONTEXT_WORDS + 5:
        return text
    head = " ".join(words[:CONTEXT_WORDS]) + " " if after_change else ""
    tail = " " + " ".join(words[-CONTEXT_WORDS:]) if before_change else ""
    return f"{head}…{tail}"


def _passages(c: Comparison) -> str:
    if not c.passages:
        return "<p>The prose is unchanged.</p>"
    out = []
    for passage in c.passages:
        parts = []
        last = len(passage.pieces) - 1
        for index, (op, text) in enumerate(passage.pieces):
            if op == "equal":
                parts.append(escape(_shorten(text, index > 0, index < last)))
            else:
                tag = "ins" if op == "insert" else "del"
                parts.append(f"<{tag}>{escape(text)}</{tag}>")
        words = "".join(parts).replace("\n\n", "</p><p>")
        out.append(
            f'<div class="passage"><p class="where">{escape(passage.heading)} · '
            f"{escape(passage.where)} · +{passage.inserted} −{passage.deleted}</p>"
            f"<p>{words}</p></div>"
        )
    return "\n".join(out)


def _citations(c: Comparison) -> str:
    changed = "".join(
        f"<li><code>{escape(key)}</code>: {escape(', '.join(fields))}</li>"
        for key, fields in c.references_changed.items()
    )
    recounted = [f"{key} ({old} → {new})" for key, (old, new) in c.citations_recounted.items()]
    return (
        f"<p>Citations added: {_list(c.citations_added)}</p>"
        f"<p>Citations removed: {_list(c.citations_removed)}</p>"
        f"<p>Cited more or less often: {_list(recounted)}</p>"
        f"<p>References added: {_list(c.references_added)}</p>"
        f"<p>References removed: {_list(c.references_removed)}</p>"
        f"<p>References changed (fields):</p><ul>{changed or '<li>none</li>'}</ul>"
    )


def _side(version: Version, label: str) -> str:
    if label not in version.elements:
        return f"<div><h4>{escape(version.label)}</h4><p>(not present)</p></div>"
    what, sha = version.elements[label]
    head = f"<h4>{escape(version.label)}</h4><p class='where'>sha256:{(sha or 'missing')[:12]}</p>"
    if label.startswith("fig-"):
        image = version.project.article.parent / what
        if not image.is_file():
            return f"<div>{head}<p>image <code>{escape(what)}</code> is missing</p></div>"
        mime = mimetypes.guess_type(image.name)[0] or "application/octet-stream"
        data = base64.b64encode(image.read_bytes()).decode("ascii")
        alt = f"{label} in {version.label}"
        return f'<div>{head}<figure><img src="data:{mime};base64,{data}" alt="{escape(alt)}"></figure></div>'
    return f"<div>{head}<pre>{escape(what)}</pre></div>"


def _elements(c: Comparison) -> str:
    if not c.elements_changed:
        return "<p>No figure or table changed.</p>"
    return "\n".join(
        f'<section class="element" id="element-{escape(label)}"><h3>{escape(label)}: {status}</h3>'
        f'<div class="pair">{_side(c.old, label)}{_side(c.new, label)}</div></section>'
        for label, status in c.elements_changed.items()
    )


def render(c: Comparison, title: str, lang: str = "en") -> str:
    heading = f"Changes since {c.old.label}"
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(heading)}: {escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<header><h1>{escape(heading)}</h1>\n<p>{escape(title)}: {escape(c.old.label)} "
        f"→ {escape(c.new.label)}</p></header>\n<main>\n{_summary(c)}\n"
        f'<section aria-labelledby="prose"><h2 id="prose">Prose</h2>\n{_passages(c)}</section>\n'
        f'<section aria-labelledby="cites"><h2 id="cites">Citations and references</h2>\n'
        f"{_citations(c)}</section>\n"
        f'<section aria-labelledby="elements"><h2 id="elements">Figures and tables</h2>\n'
        f"{_elements(c)}</section>\n</main>\n</body>\n</html>\n"
    )
