"""The README's commands are real: every `galley` command and flag it and its docs/ pages show
exists, its two set-up commands are the ones `.ci/run` runs, it stays short, and every page it
links to is there."""

from __future__ import annotations

import re

import pytest

from galley.cli import COMMANDS
from tests.conftest import REPO, galley

README = (REPO / "README.md").read_text(encoding="utf-8")
DOCS = sorted((REPO / "docs").glob("*.md"))
PAGES = [README, *(page.read_text(encoding="utf-8") for page in DOCS)]
SHOWN = sorted(
    {shown for page in PAGES for shown in re.findall(r"`galley ([a-z]+)((?: --?[a-z-]+)*)", page)}
)


def test_readme_has_both_setup_commands_that_ci_runs() -> None:
    for name in ("build", "test"):
        marker = f"<!-- readme-command: {name} -->\n```bash\n"
        assert marker in README, name
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "readme_command build" in ci and "readme_command test" in ci


@pytest.mark.parametrize(("command", "flags"), SHOWN, ids=[" ".join(s).strip() for s in SHOWN])
def test_every_command_and_flag_in_the_readme_exists(command: str, flags: str) -> None:
    assert command in COMMANDS
    result = galley(command, "--help", cwd=REPO)
    assert result.returncode == 0, result.stderr
    for flag in flags.split():
        assert flag in result.stdout, f"`galley {command}` has no {flag}"


def test_readme_is_read_in_two_minutes_and_links_only_pages_that_exist() -> None:
    assert len(README.splitlines()) < 150
    linked = re.findall(r"\]\((docs/[^)#]+)\)", README)
    assert linked, "the README points to docs/"
    for page in linked:
        assert (REPO / page).is_file(), page
    for page in DOCS:
        assert f"docs/{page.name}" in README, f"docs/{page.name} is linked from nowhere"
