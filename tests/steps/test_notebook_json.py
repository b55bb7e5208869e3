"""galley writes its reviewer notebooks without nbformat (a slow import): the text must be
nbformat's own, byte for byte, and the notebook valid to nbformat's schema."""

from __future__ import annotations

import nbformat

from galley.steps import notebook_json

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="


def test_a_notebook_with_every_kind_of_output_is_written_as_nbformat_writes_it() -> None:
    v4 = nbformat.v4
    made = v4.new_notebook(
        cells=[
            v4.new_markdown_cell(
                "# Title\n\nSee ![a](attachment:a.png) — ünïcode\n",
                attachments={"a.png": {"image/png": PNG}},
                metadata={"trusted": True, "tags": ["x"]},
            ),
            v4.new_raw_cell("raw\ntext"),
            v4.new_code_cell(
                "print('a')\nx = 1\nx",
                execution_count=3,
                outputs=[
                    v4.new_output("stream", name="stdout", text="a\nb\n"),
                    v4.new_output(
                        "execute_result",
                        data={"text/plain": "1\n2", "application/json": {"a": [1, 2]}},
                        execution_count=3,
                    ),
                    v4.new_output(
                        "display_data",
                        data={
                            "image/png": PNG,
                            "image/svg+xml": "<svg>\n</svg>",
                            "application/javascript": "a;\nb;",
                            "text/html": "<p>\n</p>",
                        },
                    ),
                    v4.new_output("error", ename="E", evalue="bad", traceback=["l1", "l2\n"]),
                ],
            ),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "P"},
            "signature": "sha",
            "orig_nbformat": 3,
        },
    )
    assert notebook_json.writes(made) == nbformat.writes(made)


def test_galley_cells_are_nbformat_cells_and_the_notebook_validates() -> None:
    v4 = nbformat.v4
    data = {"text/plain": "a,b\n1,2", "text/html": "<table>\n</table>"}
    ours = notebook_json.notebook(
        [
            notebook_json.cell("markdown", "# Step\n\ntext", "intro"),
            notebook_json.cell("code", "print(1)", "show", outputs=[notebook_json.display(data)]),
            notebook_json.cell("code", "x = 1\n", "script"),
        ],
        {"language_info": {"name": "python"}},
    )
    theirs = v4.new_notebook(
        cells=[
            v4.new_markdown_cell("# Step\n\ntext", id="intro"),
            v4.new_code_cell(
                "print(1)", id="show", outputs=[v4.new_output("display_data", data=data)]
            ),
            v4.new_code_cell("x = 1\n", id="script"),
        ],
        metadata={"language_info": {"name": "python"}},
    )
    assert notebook_json.writes(ours) == nbformat.writes(theirs)
    nbformat.validate(nbformat.reads(notebook_json.writes(ours), as_version=4))
