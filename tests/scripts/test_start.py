"""The README's first command, `scripts/start`, as a newcomer runs it: twice in a row.

The second start must install nothing (the stamp in .venv says the dependency files have not
changed) and load nothing; its output says so, line by line. The stamp logic itself
(scripts/lib.sh) is tested apart against a stand-in for .venv's Python, so that no real install
runs.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
URL = re.compile(r"Kring runs on (http://\S+)")


def _environment(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "KRING_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    # Always a fresh SQLite file: never the database the suite runs on.
    for name in ("KRING_DATABASE_URL", "KRING_USER", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    return env


def _start(env: dict[str, str]) -> tuple[list[str], str]:
    """Run scripts/start on any free port until it serves; return its lines and its URL."""
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "start"), "--port", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            found = URL.search(line)
            if found:
                url = found.group(1)
                with urllib.request.urlopen(url + "login/", timeout=30) as answer:
                    assert answer.status == 200
                return lines, url
        pytest.fail("scripts/start stopped before it served:\n" + "\n".join(lines))
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl+C
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def own_venv() -> None:
    if Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        pytest.skip("scripts/start installs into the repository's .venv; run the tests from it")


def test_it_starts_twice_and_the_second_start_installs_and_loads_nothing(own_venv, tmp_path):
    env = _environment(tmp_path)

    first, _ = _start(env)
    assert first[0].startswith("Dependencies: "), first  # installed, or up to date
    assert any(line.startswith("Database: creating SQLite file") for line in first), first
    assert any(line.startswith("Demo: the database is empty, loading") for line in first), first
    assert any(re.match(r"Demo login: \S+@demo\.kring\.be {2}password: kring-demo", line)
               for line in first), first  # fmt: skip
    assert (ROOT / ".venv" / "kring-install.stamp").exists()

    second, url = _start(env)
    assert second[0] == "Dependencies: up to date in .venv", second
    assert second[1] == f"Database: SQLite file {tmp_path / 'kring.sqlite3'}, up to date"
    assert second[2].startswith("Demo login: ")
    assert second[3] == f"Kring runs on {url}  (Ctrl+C stops it)"
    assert len(second) == 4, second


# The stamp logic on its own: a project folder with the two dependency files and scripts/lib.sh,
# and a .venv whose python hashes for real but only writes down what pip was asked to do.
FAKE_PYTHON = """#!/bin/sh
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then
  echo "pip $*" >>"$(dirname "$0")/../pip.log"
  exit "$(cat "$(dirname "$0")/../pip-exit" 2>/dev/null || echo 0)"
fi
exec {python} "$@"
"""


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "lib.sh", tmp_path / "scripts" / "lib.sh")
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "constraints.txt").write_text("Django==5.2.19\n")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "kring"\n')
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON.format(python=sys.executable))
    python.chmod(0o755)
    yield tmp_path


def _install(project: Path, extra: str = "") -> tuple[int, str, list[str]]:
    log = project / ".venv" / "pip.log"
    log.unlink(missing_ok=True)
    result = subprocess.run(
        ["bash", "-c", f"set -euo pipefail; source scripts/lib.sh; ensure_installed {extra}"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    pip = log.read_text().splitlines() if log.exists() else []
    return result.returncode, result.stdout, pip


def test_it_installs_only_when_the_dependency_files_change(project):
    code, out, pip = _install(project)
    assert code == 0 and "installing into .venv" in out
    assert pip[-1].endswith("-c requirements/constraints.txt -e .")

    code, out, pip = _install(project)
    assert (code, out, pip) == (0, "Dependencies: up to date in .venv\n", [])

    with (project / "requirements" / "constraints.txt").open("a") as constraints:
        constraints.write("rich==15.0.0\n")
    code, out, pip = _install(project)
    assert "requirements/constraints.txt changed" in out and len(pip) == 2
    assert _install(project)[2] == []


def test_it_installs_the_dev_extra_once_and_start_needs_nothing_more(project):
    assert _install(project)[2]
    code, out, pip = _install(project, "dev")
    assert code == 0
    assert "installing the dev extra" in out
    assert pip[-1].endswith("-e .[dev]")
    assert _install(project, "dev")[2] == []
    assert _install(project)[2] == []  # dev includes what scripts/start needs

    (project / "pyproject.toml").write_text('[project]\nname = "kring"\nversion = "2"\n')
    assert _install(project)[2]
    assert _install(project, "dev")[2]  # the old dev install no longer counts


def test_it_keeps_no_stamp_when_pip_fails(project):
    (project / ".venv" / "pip-exit").write_text("1")
    code, _, pip = _install(project)
    assert code == 1 and pip
    assert not (project / ".venv" / "kring-install.stamp").exists()
    (project / ".venv" / "pip-exit").unlink()
    code, out, pip = _install(project)
    assert code == 0 and "installing into .venv" in out and pip
