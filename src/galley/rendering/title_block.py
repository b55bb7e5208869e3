"""What the title block shows besides the authors: the subtitle, the dates as Quarto formats them
(`date: today`, `last-modified`, `date-format`), and its headings in the document's language.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from galley.rendering.languages import labels, month_names
from galley.util.reproducible import source_date_epoch

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DATE_FORMS = ("%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y", "%d %m %Y", "%m %d, %Y")
# dayjs-style tokens Quarto's `date-format` accepts, longest first so MMMM wins over MM.
TOKENS = re.compile(r"YYYY|YY|MMMM|MMM|MM|M|DD|D|dddd")


def _date_of(value: str, article: Path) -> datetime.date | None:
    """The date `value` names, or None when it is free text (kept as written)."""
    if value in ("today", "now"):
        epoch = source_date_epoch()
        if epoch is not None:  # reproducible builds: the same date on every machine
            return datetime.datetime.fromtimestamp(epoch, datetime.UTC).date()
        return datetime.date.today()
    if value == "last-modified":
        return datetime.date.fromtimestamp(article.stat().st_mtime)
    for form in DATE_FORMS:
        try:
            return datetime.datetime.strptime(value.split("T")[0], form).date()
        except ValueError:
            continue
    return None


def _format(day: datetime.date, style: str, lang: str) -> str:
    months = month_names(lang)
    english = lang.split("-")[0] == "en"
    if style == "iso":
        return day.isoformat()
    if style == "short":
        return f"{day.month}/{day.day}/{day.strftime('%y')}" if english else day.isoformat()
    if style in ("long", "full", "medium"):
        month = months[day.month - 1]
        month = month[:3] if style == "medium" else month
        text = f"{month} {day.day}, {day.year}" if english else f"{day.day} {month} {day.year}"
        return f"{WEEKDAYS[day.weekday()]}, {text}" if style == "full" and english else text
    values = {
        "YYYY": str(day.year), "YY": day.strftime("%y"), "MMMM": months[day.month - 1],
        "MMM": months[day.month - 1][:3], "MM": f"{day.month:02}", "M": str(day.month),
        "DD": f"{day.day:02}", "D": str(day.day), "dddd": WEEKDAYS[day.weekday()],
    }  # fmt: skip
    return TOKENS.sub(lambda m: values[m[0]], style)


def formatted_date(value: Any, settings: dict[str, Any], article: Path) -> str:
    """`date` (or `date-modified`) as the title block shows it, in `date-format` (default: the
    long form of the document's language)."""
    text = str(value).strip()
    style = str(settings.get("date-format") or "long")
    day = _date_of(text, article)
    return text if day is None else _format(day, style, str(settings.get("lang") or "en"))


def subtitle_inline(subtitle: Any) -> str:
    """A subtitle on one line: paragraphs (a `|` block) become line breaks, so the subtitle
    stays one element in every format."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", str(subtitle).strip()) if p.strip()]
    return "\\\n".join(" ".join(p.split()) for p in paragraphs)


def title_block_metadata(settings: dict[str, Any], article: Path) -> dict[str, Any]:
    """The templates' title block fields from the merged settings: formatted dates, a one-line
    subtitle, the headings in the document's language, and where the contents go."""
    lang = str(settings.get("lang") or "en")
    words = labels(lang)
    authors = settings.get("author")
    several = isinstance(authors, list) and len(authors) > 1
    meta: dict[str, Any] = {
        "galley-labels": words,
        "galley-authors-heading": words["authors" if several else "author"],
    }
    if settings.get("date") is not None:
        meta["date"] = formatted_date(settings["date"], settings, article)
        day = _date_of(str(settings["date"]).strip(), article)
        if day is not None:  # the date as Google Scholar reads it (citation_publication_date)
            meta["galley-citation-date"] = day.strftime("%Y/%m/%d")
    if settings.get("date-modified") is not None:
        meta["galley-date-modified"] = formatted_date(settings["date-modified"], settings, article)
    if settings.get("subtitle") is not None:
        meta["subtitle"] = subtitle_inline(settings["subtitle"])
    # Quarto's toc-location: beside the text (left, right: the default), in the body at the
    # top, or both (left-body, right-body).
    location = str(settings.get("toc-location") or "right")
    meta["galley-toc-side"] = location in ("left", "right", "left-body", "right-body")
    meta["galley-toc-body"] = location.endswith("body")
    if settings.get("toc-title") is not None:
        meta["toc-title"] = str(settings["toc-title"])
    elif lang.split("-")[0] != "en":  # English keeps the template's "Contents"
        meta["toc-title"] = words["contents"]
    return meta
