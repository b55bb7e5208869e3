"""The git side of `galley diff REV`: REV's files, and the date of the working tree's version.

REV's files are exported with `git archive` into a scratch folder. Its data steps then run there
(galley.commands.diff), from REV's own data and scripts: so REV's generated tables, figures and
variables are what a build of REV made, whether or not they were committed.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from galley.errors import GalleyError, ToolError
from galley.project import Project, load_project
from galley.util.tools import tail


def _git(project: Project, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=project.root, capture_output=True, check=False)


def export_revision(project: Project, rev: str, dest: Path) -> tuple[Project, str]:
    """REV's copy of the project under `dest`, and REV's short commit id."""
    inside = _git(project, "rev-parse", "--show-prefix")
    if inside.returncode != 0:
        raise GalleyError(
            "the project is not in a git repository; `galley diff` compares with a git revision",
            path=project.root,
        )
    commit = _git(
        project, "rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}"
    )
    if commit.returncode != 0:
        raise GalleyError(
            f"`{rev}` is not a commit of this repository; name a tag, branch or commit "
            "(see `git tag` and `git log --oneline`)"
        )
    sha = commit.stdout.decode().strip()
    prefix = inside.stdout.decode().strip()
    archive = _git(project, "archive", "--format=tar", sha, "--", prefix or ".")
    if archive.returncode != 0:
        raise ToolError(f"git archive {sha[:12]} failed:\n{tail(archive.stderr.decode())}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return load_project(dest / prefix), sha[:12]


def version_date(project: Project) -> str:
    """When the working tree's version was made, for Word's revision marks (UTC, ISO 8601):
    HEAD's commit date if the project has no uncommitted change, else now."""
    status = _git(project, "status", "--porcelain", "--", ".")
    if status.returncode == 0 and not status.stdout.strip():
        head = _git(project, "log", "-1", "--format=%ct")
        if head.returncode == 0 and head.stdout.strip():
            moment = datetime.fromtimestamp(int(head.stdout.decode().strip()), tz=UTC)
            return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return datetime.now(tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
