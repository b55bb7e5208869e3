"""Quarto's front matter (authors, affiliations, abstract, keywords) in the flat shape the
embedded engine's templates use.

Quarto accepts authors as strings or mappings, affiliations inline or by `ref` to a top-level
`affiliations` list; this module gives every author a name, e-mail and affiliation numbers,
and numbers the affiliations in order of first mention, as Quarto's title blocks do.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from galley.errors import GalleyError


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _name(author: Any) -> str:
    if isinstance(author, str):
        return author
    name = author.get("name")
    if isinstance(name, dict):
        literal = name.get("literal")
        if literal:
            return str(literal)
        return " ".join(str(name[k]) for k in ("given", "family") if name.get(k))
    return str(name or "")


def _affiliation_name(entry: Any) -> str:
    if isinstance(entry, str):
        return entry
    return str(entry.get("name") or entry.get("department") or "")


def normalize_authors(meta: dict[str, Any], where: Path | str) -> dict[str, Any]:
    """`galley-authors` and `galley-affiliations` for the templates, from Quarto's schema."""
    # An affiliation with an `id` may be defined at the top or inline under one author, and
    # referred to by `ref` under any author (Quarto's schema allows both).
    inline = [
        affiliation
        for author in _as_list(meta.get("author"))
        if isinstance(author, dict)
        for affiliation in _as_list(author.get("affiliations") or author.get("affiliation"))
    ]
    by_id = {
        str(a["id"]): _affiliation_name(a)
        for a in [*_as_list(meta.get("affiliations")), *inline]
        if isinstance(a, dict) and a.get("id")
    }
    numbered: list[str] = []
    authors = []
    for author in _as_list(meta.get("author")):
        if not isinstance(author, str | dict):
            raise GalleyError(
                f"author `{author}` is neither a name nor a mapping; write `- name: Jane Doe` "
                "(a name in quotes if it is a number)",
                path=where,
            )
        name = _name(author)
        if not name:
            raise GalleyError("an author has no `name`; give each author a name", path=where)
        details = author if isinstance(author, dict) else {}
        numbers = []
        for affiliation in _as_list(details.get("affiliations") or details.get("affiliation")):
            if not isinstance(affiliation, str | dict):
                raise GalleyError(
                    f"affiliation `{affiliation}` of author `{name}` is neither a name nor a "
                    "mapping; write the affiliation's name, or `ref:` an id under `affiliations:`",
                    path=where,
                )
            if isinstance(affiliation, dict) and "ref" in affiliation:
                ref = str(affiliation["ref"])
                if ref not in by_id:
                    raise GalleyError(
                        f"author `{name}` refers to affiliation `{ref}`, which is not defined "
                        "under `affiliations:`",
                        path=where,
                    )
                label = by_id[ref]
            else:
                label = _affiliation_name(affiliation)
            if label not in numbered:
                numbered.append(label)
            numbers.append(str(numbered.index(label) + 1))
        authors.append(
            {
                "name": name,
                "surname": name.split()[-1],
                "email": str(details.get("email") or ""),
                "corresponding": bool(details.get("corresponding")),
                "affiliation-numbers": ",".join(numbers),
            }
        )
    return {
        "galley-authors": authors,
        # The title block's e-mail line lists the e-mails there are, not one place per author.
        "galley-emails": [a["email"] for a in authors if a["email"]],
        # The title block's key to the corresponding author's mark ("* Corresponding author").
        "galley-corresponding-key": any(a["corresponding"] for a in authors),
        "galley-affiliations": [
            {"number": str(i), "name": label} for i, label in enumerate(numbered, start=1)
        ],
    }


# Quarto's shorthand for Creative Commons licenses: `license: CC BY` means CC BY 4.0.
CREATIVE_COMMONS = re.compile(r"^cc (by(?:-nc)?(?:-sa|-nd)?)(?:\s+(\S+))?$", re.IGNORECASE)


def license_fields(license: Any, lang: str) -> Any:
    """`license:` as Quarto reshapes it: a mapping with `text` (and, for a Creative Commons
    license, `type` and `url`). A mapping is kept as written."""
    if not isinstance(license, str):
        return license
    match = CREATIVE_COMMONS.match(license.strip())
    if match is None:
        return {"text": license}
    kind, version = match[1].lower(), match[2] or "4.0"
    url = f"https://creativecommons.org/licenses/{kind}/{version}/"
    if lang.lower() != "en":
        url += f"deed.{lang.lower()}"
    return {"type": "creative-commons", "url": url, "text": f"CC {kind.upper()} {version}"}


def shortcode_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """The metadata `{{< meta >}}` reads: the settings, with `license` and `copyright` in the
    shape Quarto gives them (`license.text`, `copyright.statement`)."""
    shaped = dict(meta)
    if "license" in shaped:
        shaped["license"] = license_fields(shaped["license"], str(shaped.get("lang") or "en"))
    if isinstance(shaped.get("copyright"), str):
        shaped["copyright"] = {"statement": shaped["copyright"]}
    return shaped


def boolean_flags(settings: dict[str, Any], prefix: str = "") -> dict[str, bool]:
    """Every boolean setting by its dotted key (`condition.path.to.flag`), for conditional
    content's `when-meta` and `unless-meta` (conditional.lua)."""
    flags: dict[str, bool] = {}
    for key, value in settings.items():
        if isinstance(value, bool):
            flags[prefix + str(key)] = value
        elif isinstance(value, dict):
            flags.update(boolean_flags(value, f"{prefix}{key}."))
    return flags
