"""Regenerate `src/galley/engines/resources/languages.json`, the words galley writes in each
language, from the translations Quarto ships (`src/resources/language/_language*.yml`, MIT
licensed, Posit Software PBC).

    python tools/quarto_languages.py QUARTO_CHECKOUT [TAG]

Only the keys galley uses are kept (`galley.rendering.languages.KEYS`); each language keeps what its file
says, and galley merges English, the language and the regional variant, as Quarto does.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

from galley.rendering.languages import DATA, KEYS

FOLDER = "src/resources/language"
NAME = re.compile(r"^_language(?:-(?P<lang>[A-Za-z]+(?:-[A-Za-z]+)?))?\.yml$")


def _show(checkout: Path, tag: str, path: str) -> str:
    return subprocess.run(
        ["git", "-C", str(checkout), "show", f"{tag}:{path}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def main(checkout: Path, tag: str) -> None:
    names = _show(checkout, tag, f"{FOLDER}/").split()
    words: dict[str, dict[str, str]] = {}
    for name in sorted(names):
        match = NAME.match(name)
        if match is None:
            continue
        entries = yaml.safe_load(_show(checkout, tag, f"{FOLDER}/{name}")) or {}
        kept = {key: str(entries[key]) for key in KEYS if key in entries}
        if kept:
            words[match["lang"] or "en"] = kept
    data = {
        "source": f"quarto-dev/quarto-cli {tag}, {FOLDER}/_language*.yml (MIT License, "
        "Posit Software PBC); regenerate with tools/quarto_languages.py",
        "words": dict(sorted(words.items())),
    }
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    Path(str(DATA)).write_text(text, encoding="utf-8")
    print(f"wrote {len(words)} languages to {DATA}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "v1.10.18")
