"""The seed article's text, split the way the tests compare it with the outputs."""

from __future__ import annotations

import re
import unicodedata

from tests.conftest import SEED

SECTIONS = ("INTRODUCTION", "METHODS", "RESULT AND DISCUSSION", "CONCLUSION")
# "(Newman, 2001)", "(BNN, 2024)", "Krasner (1983)": citations change form, so they are not compared.
PARENTHESIS_WITH_YEAR = re.compile(r"\([^()]*\b(1[89]|20)\d\d[a-z]?\)")
POINTER = re.compile(r"\(see (Figure|Table)\s\d+\)")


def letters(text: str) -> str:
    """Only letters and digits, lower-cased: immune to line breaks, hyphenation, quotes, italics."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[^0-9a-z]", "", text.lower())


def body_paragraphs() -> list[str]:
    text = SEED.read_text(encoding="utf-8")
    body = text[text.index("\nINTRODUCTION\n") : text.index("\nREFERENCES\n")]
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body)]
    return [p for p in paragraphs if p and p not in SECTIONS]


def sentences(paragraph: str) -> list[str]:
    paragraph = PARENTHESIS_WITH_YEAR.sub(" ", paragraph)
    paragraph = re.sub(r"\w+'s \(\d{4}\)|\(\w+, \d{4}\)", " ", paragraph)
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z])", paragraph)
    return [p for p in parts if len(letters(p)) > 20]


def comparable(rendered: str) -> str:
    rendered = POINTER.sub(" ", rendered)
    rendered = PARENTHESIS_WITH_YEAR.sub(" ", rendered)
    return letters(rendered)


def missing_sentences(rendered: str) -> list[str]:
    """Seed sentences (citations left out) that the rendered text does not contain."""
    haystack = comparable(rendered)
    missing = []
    for paragraph in body_paragraphs():
        for sentence in sentences(paragraph):
            # A sentence broken by a page break in the seed is compared in its two halves.
            for half in re.split(r"\n+", sentence):
                if letters(half) and letters(half) not in haystack:
                    missing.append(half)
    return missing
