"""The HTML page's appendix, as Quarto writes it: "Reuse" for `license:`, "Copyright" for
`copyright:`, and "Citation" for `citation:` (how to cite this article: a BibTeX entry and an
attribution line; `appendix-cite-as: display` shows only the attribution, `false` neither).

Everything here comes from the front matter and goes into the page as text: each value is
Markdown-escaped, so a title or a name never becomes markup.
"""

from __future__ import annotations

import re
from typing import Any

from galley.reading.metadata import license_fields

# CSL item types and the BibTeX entry types Quarto writes for them.
BIBTEX_TYPES = {
    "article-journal": "article", "article": "article", "book": "book", "chapter": "incollection",
    "paper-conference": "inproceedings", "report": "techreport", "thesis": "phdthesis",
}  # fmt: skip
MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
YEAR = re.compile(r"\b(\d{4})\b")


def _text(value: Any) -> str:
    """`value` as literal text in Markdown: every ASCII punctuation character escaped."""
    return MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(str(value).split()))


def _names(settings: dict[str, Any]) -> list[tuple[str, str]]:
    """(given, family) of each author; a plain name's first word is the given name."""
    authors = settings.get("author")
    names = []
    for author in authors if isinstance(authors, list) else [authors] if authors else []:
        name = author.get("name") if isinstance(author, dict) else author
        if isinstance(name, dict):
            names.append((str(name.get("given") or ""), str(name.get("family") or "")))
        elif name:
            given, _, family = str(name).strip().partition(" ")
            names.append((given, family) if family else ("", given))
    return names


def _citation_fields(settings: dict[str, Any]) -> dict[str, Any]:
    citation = settings.get("citation")
    fields = dict(citation) if isinstance(citation, dict) else {}
    fields.setdefault("title", settings.get("title") or "")
    fields.setdefault("issued", settings.get("date") or "")
    fields.setdefault("url", fields.get("public-url") or settings.get("url") or "")
    return fields


def _bibtex(settings: dict[str, Any], fields: dict[str, Any], names: list[tuple[str, str]]) -> str:
    year = YEAR.search(str(fields["issued"]))
    family = names[0][1] if names else "anonymous"
    key = str(
        fields.get("citation-key")
        or re.sub(r"\W+", "_", family.lower()) + (year[1] if year else "")
    )
    kind = str(
        fields.get("type") or ("article-journal" if fields.get("container-title") else "webpage")
    )
    lines = [f"@{BIBTEX_TYPES.get(kind, 'online')}{{{key},"]
    entries = {
        "author": " and ".join(f"{f}, {g}" if g else f for g, f in names),
        "title": fields["title"], "journal": fields.get("container-title"),
        "volume": fields.get("volume"), "number": fields.get("issue") or fields.get("number"),
        "pages": fields.get("page"), "date": fields["issued"], "url": fields["url"],
        "doi": fields.get("doi"), "isbn": fields.get("isbn"), "issn": fields.get("issn"),
        "langid": settings.get("lang") or "en",
    }  # fmt: skip
    lines += [f"  {name} = {{{value}}}," for name, value in entries.items() if value]
    return "\n".join(lines).rstrip(",") + "\n}"


def _cite_as(fields: dict[str, Any], names: list[tuple[str, str]]) -> str:
    """An author-date attribution line: Family, G. (Year). *Title*. Container. URL."""
    people = ", ".join(f"{f}, {g[:1]}." if g else f for g, f in names) or "Anonymous"
    year = YEAR.search(str(fields["issued"]))
    line = f"{_text(people)} ({year[1] if year else 'n.d.'}). *{_text(fields['title'])}*."
    if fields.get("container-title"):
        line += f" {_text(fields['container-title'])}."
    link = f"https://doi.org/{fields['doi']}" if fields.get("doi") else fields["url"]
    return line + (f" <{link}>" if str(link).startswith(("http://", "https://")) else "")


def appendix_markdown(settings: dict[str, Any]) -> str:
    """The appendix for the HTML page, as Markdown to add after the body ("" when none)."""
    labels = settings["galley-labels"]
    parts = []
    license = license_fields(settings.get("license"), str(settings.get("lang") or "en"))
    if isinstance(license, dict) and license.get("text"):
        text = _text(license["text"])
        url = str(license.get("url") or "")
        parts.append(f"## {labels['reuse']}\n\n" + (f"[{text}](<{url}>)" if url else text))
    copyright_ = settings.get("copyright")
    if copyright_:
        statement = copyright_.get("statement") if isinstance(copyright_, dict) else copyright_
        parts.append(f"## {labels['copyright']}\n\n{_text(statement)}")
    cite_as = str(settings.get("appendix-cite-as", "true")).lower()
    if settings.get("citation") and cite_as != "false":
        fields, names = _citation_fields(settings), _names(settings)
        section = f"## {labels['citation']} {{#quarto-citation}}\n\n"
        if cite_as != "display":
            bibtex = _bibtex(settings, fields, names)
            fence = "`" * max(4, 1 + max(map(len, re.findall("`+", bibtex)), default=0))
            section += f"{labels['bibtex']}\n\n{fence} {{.quarto-appendix-bibtex}}\n"
            section += f"{bibtex}\n{fence}\n\n"
        section += f"{_text(labels['cite-as'])}\n\n::: {{.quarto-appendix-citeas}}\n"
        section += f"{_cite_as(fields, names)}\n:::"
        parts.append(section)
    if not parts:
        return ""
    body = re.sub(r"^## (.+?)( \{#[\w-]+\})?$", _heading, "\n\n".join(parts), flags=re.MULTILINE)
    return f"\n\n:::: {{#quarto-appendix .default}}\n\n{body}\n\n::::\n"


def _heading(match: re.Match[str]) -> str:
    """Appendix headings: unnumbered, out of the contents, with Quarto's class."""
    ident = match[2].strip()[1:-1] + " " if match[2] else ""
    return f"## {match[1]} {{{ident}.quarto-appendix-heading .unnumbered .unlisted}}"
