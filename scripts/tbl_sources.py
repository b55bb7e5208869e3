"""Table: the study's sources by type, counted from references.bib.

Rule, from each entry's BibTeX type: @article is a journal article; @book (and @incollection) a
book; @report, @misc and @legislation official documents (here: UN and BNN reports, a treaty, a
law, a BNN presentation); @online is news when its author or organization is a news outlet named
in NEWS_OUTLETS, otherwise a web page. Anything else stops the script, so no entry goes uncounted.
Writes a pipe table only; the manuscript adds the caption and the label `tbl-sources`.
"""

import bibtexparser

from paths import FIGURES, REFERENCES_BIB, output

TYPES = ["Journal article", "Book", "Official document", "News", "Web page"]
BY_ENTRY_TYPE = {
    "article": "Journal article",
    "book": "Book",
    "incollection": "Book",
    "report": "Official document",
    "misc": "Official document",
    "legislation": "Official document",
}
NEWS_OUTLETS = {"ANTARA", "Kompas.com", "Kompas.id", "Media Indonesia", "Republika"}


def source_type(entry: bibtexparser.model.Entry) -> str:
    kind = entry.entry_type.lower()
    if kind == "online":
        names = {
            entry.fields_dict[f].value.strip("{}")
            for f in ("author", "organization")
            if f in entry.fields_dict
        }
        return "News" if names & NEWS_OUTLETS else "Web page"
    if kind not in BY_ENTRY_TYPE:
        raise SystemExit(
            f"{REFERENCES_BIB}: entry {entry.key}: no source type for @{kind}; "
            "add it to BY_ENTRY_TYPE in scripts/tbl_sources.py"
        )
    return BY_ENTRY_TYPE[kind]


library = bibtexparser.parse_file(str(REFERENCES_BIB))
if library.failed_blocks:
    raise SystemExit(f"{REFERENCES_BIB}: {len(library.failed_blocks)} entries could not be parsed")
keys: dict[str, list[str]] = {kind: [] for kind in TYPES}
for entry in library.entries:
    keys[source_type(entry)].append(entry.key)

total = sum(len(k) for k in keys.values())
# The rows are longer than pandoc's 72 columns, so pandoc takes the column widths from the dashes
# below the header: these give each column its share of the width, in per cent, to suit what it
# holds (the counts are short, the cited works long).
WIDTHS = {"Type": 17, "Works": 12, "Share": 12, "Items": 59}
rule = [
    "-" * (w - 1) + ":" if name in ("Works", "Share") else ":" + "-" * (w - 1)
    for name, w in WIDTHS.items()
]
lines = ["| " + " | ".join(WIDTHS) + " |", "|" + "|".join(rule) + "|"]
for kind in TYPES:
    cites = "; ".join(f"@{key}" for key in sorted(keys[kind]))
    share = f"{100 * len(keys[kind]) / total:.0f}%"
    lines.append(f"| {kind} | {len(keys[kind])} | {share} | {f'[{cites}]' if cites else '–'} |")
lines.append(f"| **Total** | **{total}** | **100%** | |")

output(FIGURES / "tbl-sources.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
