"""Quarto's shortcodes in real builds: `meta` (indexed, escaped and multi-line keys, unknown keys),
literal shortcodes, quoted include paths, `pagebreak` and `placeholder`."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import galley
from tests.render.fixtures import docx_xml, html, pdf_text, write_project


def test_meta_reads_indexed_and_escaped_keys_and_spans_lines(tmp_path: Path) -> None:
    front = (
        "title: T\nitems: [first item, second item]\nnested:\n  a.b:\n    key: dotted-value\n"
        'foo: "[yeah]{.foo}"\nlicense: CC BY\ncopyright: 2024 Someone\n'
    )
    body = (
        "One {{< meta items.1 >}}; two {{< meta\nitems.2 >}}.\n\n"
        "Dots {{< meta nested.a\\\\.b.key >}}. Span {{< meta foo >}}.\n\n"
        "License {{< meta license.text >}}, {{< meta copyright.statement >}}.\n"
    )
    root = write_project(tmp_path, front, body)
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 0, built.stderr
    page = html(root)
    assert "<p>One first item; two second item.</p>" in page
    assert 'Dots dotted-value. Span <span class="foo">yeah</span>.' in page
    assert "License CC BY 4.0, 2024 Someone." in page


def test_an_unknown_meta_key_renders_visibly_with_a_warning(tmp_path: Path) -> None:
    root = write_project(tmp_path, "title: T\n", "Text.\n\nA {{< meta missing.key >}} here.\n")
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 0, built.stderr
    assert (
        "galley: warning: doc/index.qmd:7: unknown meta key `missing.key`; "
        "it renders as ?meta:missing.key; set it in the front matter or _quarto.yml, or fix the "
        "key [unknown-meta]\n"
    ) in built.stderr
    assert "A <strong>?meta:missing.key</strong> here." in html(root)


def test_an_unknown_var_renders_visibly_with_a_warning_as_in_quarto(tmp_path: Path) -> None:
    root = write_project(tmp_path, "title: T\n", "A {{< var x.y >}} and {{< var table >}}.\n")
    (root / "_variables.yml").write_text("table:\n  a: 1\n", encoding="utf-8")
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 0, built.stderr
    assert built.stderr.count("galley: warning:") == 2, built.stderr
    assert (
        "galley: warning: doc/index.qmd:5: unknown var `x.y`; it renders as ?var:x.y; define it "
        "in _variables.yml, or fix the name [unknown-var]\n"
    ) in built.stderr
    assert (
        "galley: warning: doc/index.qmd:5: var `table` is a dict, not a single value; it renders "
        "as ?invalid var type:table [unknown-var]\n"
    ) in built.stderr
    assert "A <strong>?var:x.y</strong> and <strong>?invalid var type:table</strong>." in html(root)


def test_escaped_shortcodes_and_shortcodes_false_code_stay_literal(tmp_path: Path) -> None:
    body = (
        'Write {{{< meta title >}}} to show the title.\n\n```{.markdown shortcodes="false"}\n'
        "{{< meta nothing >}}\n```\n\n```\n{{< meta title >}}\n```\n"
    )
    root = write_project(tmp_path, "title: The Title\n", body)
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 0, built.stderr
    assert "warning" not in built.stderr
    page = html(root)
    assert "<p>Write {{&lt; meta title &gt;}} to show the title.</p>" in page
    assert "{{&lt; meta nothing &gt;}}" in page
    assert "<code>The Title</code>" in page


def test_an_include_path_may_be_quoted_to_hold_spaces(tmp_path: Path) -> None:
    root = write_project(tmp_path, "title: T\n", '{{< include "_a part.md" >}}\n')
    (root / "doc" / "_a part.md").write_text("Included text.\n", encoding="utf-8")
    built = galley("build", "--to", "html", cwd=root)
    assert built.returncode == 0, built.stderr
    assert "<p>Included text.</p>" in html(root)


def test_pagebreak_and_placeholder_render_in_every_format(tmp_path: Path) -> None:
    body = (
        "Before.\n\n{{< pagebreak >}}\n\nAfter.\n\n"
        '![A grey placeholder]({{< placeholder 240 120 >}}){fig-alt="A grey box"}\n'
    )
    root = write_project(tmp_path, "title: T\n", body, "html docx typst")
    built = galley("build", cwd=root)
    assert built.returncode == 0, built.stderr
    page = html(root)
    assert '<div style="page-break-after: always;"></div>' in page
    assert 'src="data:image/svg+xml;base64,' in page
    assert '<w:br w:type="page"/>' in docx_xml(root)
    assert "<a:blip" in docx_xml(root)  # the placeholder is an image in Word too
    text = pdf_text(root)
    assert "Before." in text and "After." in text
    assert "240 × 120" in text  # the placeholder's own label, drawn by Typst from the SVG


def test_spaces_around_equals_in_div_attributes_are_read_as_quarto_does(tmp_path: Path) -> None:
    body = (
        "::: {#one key = value other= x}\nInside.\n:::\n\n::: {#two key2='a = b'}\nQuoted.\n:::\n\n"
        "```\n::: {#three key = value}\n```\n"
    )
    root = write_project(tmp_path, "title: T\n", body)
    assert galley("build", "--to", "html", cwd=root).returncode == 0
    page = html(root)
    assert '<div id="one" data-key="value" data-other="x">' in page
    assert '<div id="two" data-key2="a = b">' in page
    assert "::: {#three key = value}" in page  # code stays as written
