"""Writes the fixture projects under fixtures/: one tiny Quarto manuscript per failure mode.

Run `python tests/check/make_fixtures.py` after changing a fixture here; the files are committed
so a reader can open each one.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent / "fixtures"
QUARTO = """project:
  type: manuscript

manuscript:
  article: index.qmd

bibliography: refs.bib
"""
GOOD_BIB = """@article{newman2001,
  author  = {Newman, Edward},
  title   = {Human Security and Constructivism},
  journal = {International Studies Perspectives},
  year    = {2001},
  doi     = {10.1111/1528-3577.00056}
}

@book{buzan2003,
  author    = {Buzan, Barry and W{\\ae}ver, Ole},
  title     = {Regions and Powers},
  publisher = {Cambridge University Press},
  year      = {2003},
  isbn      = {978-0-521-89111-0}
}

@online{unodc:wdr-2023,
  author  = {{United Nations Office on Drugs and Crime}},
  title   = {World Drug Report 2023},
  year    = {2023},
  url     = {https://www.unodc.org/unodc/en/data-and-analysis/world-drug-report-2023.html},
  urldate = {2024-05-17}
}
"""
FRONT = """---
title: "A fixture"
author:
  - name: Razfi Ramadhan
    email: razfiramadhanhernanda84@student.hi.unida.gontor.ac.id
---
"""
# Every look-alike that must not fire, in one manuscript that passes.
CLEAN = (
    FRONT
    + """
# Introduction {#sec-intro}

Security is contested [@newman2001; @buzan2003, p. 3]. @newman2001 argues so, and
[-@buzan2003] agrees; the report [see @unodc:wdr-2023, chap. 2]. Write to
razfiramadhanhernanda84@student.hi.unida.gontor.ac.id or \\@someone on social media.
This uses version 2 (version 2, 2024 edition) and on (March 3, 2024) nothing happened.
The World Drug Report (2023) is cited properly above.

<!-- a comment: @notakey and (Newman, 2001) -->

Inline code `@notakey` and ``code with ` @alsonot``.

```python
x = "@notakey (Newman, 2001)"
```

    indented @notakey code

![A figure](figure.png){#fig-one fig-alt="A grey square"}

See @fig-one, @tbl-one, @sec-intro and @eq-one; [the intro](#sec-intro).

| a | b |
|---|---|
| 1 | 2 |

: A table {#tbl-one}

$$ E = mc^2 $$ {#eq-one}
"""
)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)
BODY = FRONT + "\n# Introduction\n\nAs shown [@newman2001; @buzan2003; @unodc:wdr-2023].\n"


def project(name: str, article: str, bib: str = GOOD_BIB, **files: str) -> None:
    root = HERE / name
    root.mkdir(parents=True, exist_ok=True)
    (root / "_quarto.yml").write_text(QUARTO, encoding="utf-8")
    (root / "index.qmd").write_text(article, encoding="utf-8")
    (root / "refs.bib").write_text(bib, encoding="utf-8")
    for path, text in files.items():
        target = root / path.replace("__", "/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def main() -> None:
    project("clean", CLEAN)
    (HERE / "clean" / "figure.png").write_bytes(PNG)
    project("missing-key", BODY + "\nBut see [@newman2001; @nobody2020, p. 4].\n")
    project("unused-entry", FRONT + "\nOnly one [@newman2001].\n")
    project(
        "nocite",
        FRONT.replace("---\n", "---\nnocite: |\n  @buzan2003, @unodc:wdr-2023\n", 1)
        + "\nOnly one [@newman2001].\n",
    )
    project(
        "duplicate-key",
        BODY,
        GOOD_BIB + "\n@book{Newman2001,\n  author = {Newman, E.},\n  title = {Other},\n"
        "  publisher = {P},\n  year = {2001}\n}\n",
    )
    project(
        "duplicate-entry",
        BODY + "\nAgain [@newman2001b].\n",
        GOOD_BIB + "\n@article{newman2001b,\n  author  = {Newman, E.},\n"
        "  title   = {Human security and constructivism},\n  journal = {ISP},\n  year = {2001}\n}\n",
    )
    project(
        "missing-field",
        BODY + "\nAnd [@nojournal].\n",
        GOOD_BIB + "\n@article{nojournal,\n  author = {Doe, Jane},\n  title = {No Journal},\n"
        "  year = {2020}\n}\n",
    )
    bad = GOOD_BIB.replace("{10.1111/1528-3577.00056}", "{https://doi.org/10.1111/1528-3577.00056}")
    bad = bad.replace("978-0-521-89111-0", "978-0-521-89111-1")
    bad = bad.replace(
        "{https://www.unodc.org/unodc/en/data-and-analysis/world-drug-report-2023.html}",
        "{www.unodc.org/world drug report}",
    )
    bad = bad.replace("{2024-05-17}", "{2024-02-30}")
    project("bad-fields", BODY, bad)
    project(
        "bib-syntax",
        BODY,
        GOOD_BIB
        + "\n@article{broken,\n  title = {Unclosed,\n  year = 2001\n\n@misc{after, title = {After}}\n",
    )
    project(
        "prose-citation",
        BODY
        + "\nAs (Newman, 2001) says, Krasner (1983) and Wendt's (1992) disagree.\n"
        + "Data (BNN, 2024) and Buzan & Wæver (2003) too.\n",
    )
    project(
        "crossrefs",
        BODY
        + '\n![One](figure.png){#fig-one fig-alt="A square"}\n\n![Two](figure.png){#fig-one fig-alt="A square"}\n\nSee @fig-one and @tbl-none.\n'
        + "\n```{python}\n#| label: fig-plot\nprint(1)\n```\n\nAnd @fig-plot, and ?\n",
        **{"figure.png": ""},
    )
    project(
        "includes",
        BODY + "\n{{< include sections/_methods.qmd >}}\n\n{{< include sections/_absent.qmd >}}\n"
        "\n{{< include figures/tbl-summary.md >}}\n\nAs @tbl-summary shows.\n",
        **{
            "sections___methods.qmd": "## Methods\n\nWe follow [@missing2020].\n\n![Plot](../img/none.png)\n",
            "pyproject.toml": '[tool.galley.steps.summary]\nscript = "scripts/summary.py"\n'
            'inputs = []\noutputs = ["figures/tbl-summary.md"]\n',
        },
    )
    project(
        "include-cycle",
        BODY + "\n{{< include sections/_part.qmd >}}\n",
        **{"sections___part.qmd": "## Part\n\nText.\n\n{{< include ../index.qmd >}}\n"},
    )
    project("include-outside", BODY + "\n{{< include ../../etc/passwd >}}\n")
    project(
        "links-local",
        BODY + "\n[Data](data/table.csv) and [gone](#sec-nowhere) and [ok](#introduction).\n",
    )
    project(
        "shortcodes",
        BODY
        + "\nThere are {{< var count >}} and {{< var counts >}} by {{< meta title >}} and\n"
        + "{{< meta titel >}}, and {{< var >}} {{{< var escaped >}}}.\n"
        + '\n```{.markdown shortcodes="false"}\n{{< var literal >}}\n```\n',
        **{"_variables.yml": "count: 3\n"},
    )
    project(
        "bad-config",
        BODY,
        **{"pyproject.toml": '[tool.galley.check]\ndisabel = ["prose-citation"]\n'},
    )


if __name__ == "__main__":
    main()
