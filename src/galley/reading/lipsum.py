"""Quarto's `{{< lipsum >}}` shortcode: paragraphs of lorem ipsum filler text.

The arguments are Quarto's (its `lipsum` extension): none gives paragraphs 1 to 5; `N` gives
paragraphs 1 to N; `A-B` gives paragraphs A to B (downwards when A > B); `random=true` with `N`
starts at a paragraph between 1 and 17. The text is our own: paragraph n is made of the classic
lorem ipsum words (public domain) by a generator seeded with n, so it is the same on every build.
Quarto picks a random start anew on every render; here the start comes from the shortcode's
place, so that a rebuild writes the same document.
"""

from __future__ import annotations

import random
import re

RANGE = re.compile(r"^(\d+)-(\d+)$")
COUNT = re.compile(r"^\d+$")
DEFAULT = (1, 5)
RANDOM_STARTS = 17  # Quarto's paragraph list is 17 long; its random start is one of them
MOST = 200  # paragraphs one shortcode may ask for: a slip such as `1-99999` stays small
OPENING = "Lorem ipsum dolor sit amet, consectetur adipiscing elit."
VOCABULARY = (
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut "
    "labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris "
    "nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse "
    "cillum fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui "
    "officia deserunt mollit anim id est laborum curabitur vestibulum integer nunc viverra mauris "
    "pellentesque habitant morbi tristique senectus netus malesuada fames turpis egestas proin "
    "feugiat leo ante condimentum ornare aenean lectus pulvinar sagittis felis nec rutrum risus "
    "nam vel neque arcu blandit fringilla quam aliquam luctus phasellus elementum molestie etiam "
    "maximus accumsan gravida maecenas euismod bibendum suspendisse potenti donec vitae sapien "
    "finibus porta mi tellus placerat quisque faucibus dictum nullam lacinia semper"
)
WORDS = VOCABULARY.split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
    if len(words) > 8 and rng.random() < 0.5:
        words[rng.randint(3, len(words) - 4)] += ","
    return " ".join(words).capitalize() + "."


def paragraph(number: int) -> str:
    """Paragraph `number` (from 1): always the same text; the first begins as lorem ipsum does."""
    rng = random.Random(f"galley-lipsum-{number}")
    sentences = [_sentence(rng) for _ in range(rng.randint(5, 8))]
    if number == 1:
        sentences[0] = OPENING
    return " ".join(sentences)


def numbers(args: list[str], place: str) -> list[int] | None:
    """The paragraph numbers `{{< lipsum args >}}` asks for, in order; None when the arguments
    are not Quarto's. `place` seeds the start of `random=true`."""
    options = dict(a.split("=", 1) for a in args if "=" in a)
    bare = [a for a in args if "=" not in a]
    if len(bare) > 1 or set(options) - {"random"}:
        return None
    start, end = DEFAULT
    if bare and RANGE.match(bare[0]):
        start, end = (int(n) for n in bare[0].split("-"))
    elif bare and COUNT.match(bare[0]):
        if options.get("random") == "true":
            start = random.Random(place).randint(1, RANDOM_STARTS)
        end = start + int(bare[0]) - 1
    elif bare:
        return None
    step = 1 if start <= end else -1
    return [n for n in range(start, end + step, step) if n >= 1][:MOST]


def render_lipsum(numbers: list[int]) -> str:
    """The paragraphs as Markdown blocks."""
    return "\n\n" + "\n\n".join(paragraph(n) for n in numbers) + "\n\n"
