"""The README's commands are real: every `galley` command and flag it shows exists, and its two
set-up commands are the ones `.ci/run` runs."""

from __future__ import annotations

import re

import pytest

from galley.cli import COMMANDS
from tests.conftest import REPO, galley

README = (REPO / "README.md").read_text(encoding="utf-8")
SHOWN = sorted(set(re.findall(r"`galley ([a-z]+)((?: --?[a-z-]+)*)", README)))


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
