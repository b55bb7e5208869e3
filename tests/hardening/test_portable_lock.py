"""galley on a system without `fcntl` (Windows): every module imports, and the project lock still
keeps a second build out with its message. Python's import system is told that `fcntl` does not
exist (`sys.modules["fcntl"] = None` makes `import fcntl` raise ImportError, as on Windows)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.hardening.conftest import make_project

# filelock then warns that it falls back to its soft lock, as it does on a Unix without fcntl
# (Windows has a native lock of its own, and no warning).
WITHOUT_FCNTL = (
    "import sys, warnings; sys.modules['fcntl'] = None\n"
    "warnings.filterwarnings('ignore', 'only soft file lock is available')\n"
)


def _python(code: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WITHOUT_FCNTL + code],
        cwd=cwd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUTF8": "1"},
    )


def test_every_galley_module_imports_without_fcntl(tmp_path: Path) -> None:
    code = (
        "import importlib, pkgutil, galley\n"
        "names = [m.name for m in pkgutil.walk_packages(galley.__path__, 'galley.')]\n"
        "names.remove('galley.__main__')  # runs the command line\n"
        "for name in names: importlib.import_module(name)\n"
        "print(len(names))\n"
    )
    process = _python(code, tmp_path)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert int(out) > 50


def test_without_fcntl_a_second_build_gets_the_lock_message(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    holder = _python(
        "from pathlib import Path\n"
        "from galley.util.lock import project_lock\n"
        "with project_lock(Path('.galley'), 'refs'):\n"
        "    print('held', flush=True)\n"
        "    input()\n",
        root,
    )
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline() == "held\n"
    second = _python("from galley.cli import main; raise SystemExit(main(['build']))", root)
    _, err = second.communicate(timeout=120)
    holder.stdin.write("\n")
    holder.stdin.flush()
    assert holder.wait(timeout=60) == 0
    assert second.returncode == 1
    assert err == (
        f"galley: error: {root / '.galley' / 'build.lock'}: another `galley refs` is running on "
        f"this project (pid {holder.pid}); wait for it to finish, then run `galley build` again\n"
    )
    assert not (root / ".galley" / "build.pid").exists()  # the holder's name left with it
