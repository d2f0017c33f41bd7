"""Hints name a command that works as typed, from where the user is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.invocation import command_prefix

VENV_BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]


def test_checkin_on_the_path_is_named_plainly_only_when_it_is_this_program(
    tmp_path: Path,
) -> None:
    script = tmp_path / "repo" / ".venv" / "bin" / "checkin"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    other = tmp_path / "elsewhere" / "checkin"
    other.parent.mkdir()
    other.write_text("#!/bin/sh\n")
    assert command_prefix(str(script), "python", str(script), tmp_path) == "checkin"
    # another checkin on the PATH (an older install) is not the one that was run
    assert command_prefix(str(script), "python", str(other), tmp_path / "repo") == ".venv/bin/checkin"
    assert command_prefix(str(script), "python", None, tmp_path / "repo") == ".venv/bin/checkin"
    assert command_prefix(str(script), "python", None, tmp_path) == "repo/.venv/bin/checkin"
    assert command_prefix(str(script), "python", None, other.parent) == str(script)


def test_python_dash_m_names_its_interpreter(tmp_path: Path) -> None:
    main = ROOT / "assistant" / "__main__.py"
    python = tmp_path / "my venv" / "bin" / "python"
    assert command_prefix(str(main), str(python), None, tmp_path) == "'my venv/bin/python' -m assistant"
    beside = python.parent / "checkin"
    assert command_prefix(str(main), str(python), str(beside), tmp_path) == "checkin"
    assert command_prefix("-c", str(python), None, Path("/")) == f"'{python}' -m assistant"


def _run_checkin(path: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": path, "CHECKIN_HOME": str(home)}
    return subprocess.run([str(VENV_BIN / "checkin"), "run", "--text", "--resume"],
                          cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def _hinted(stdout: str) -> str:
    return stdout.strip().removeprefix(
        "checkin: there is no interrupted check-in to resume; start one with: ")


def test_from_a_checkout_without_checkin_on_the_path_the_hint_works_as_typed(
    tmp_path: Path,
) -> None:
    if not (VENV_BIN / "checkin").is_file():
        pytest.skip("the checkin script is not installed in this environment")
    plain_path = "/usr/bin:/bin"
    done = _run_checkin(plain_path, VENV_BIN.parent.parent, tmp_path)
    hint = _hinted(done.stderr)
    assert hint == f"{VENV_BIN.parent.name}/bin/checkin run"
    # the named program really runs, typed as is, from the same folder
    typed = subprocess.run(["sh", "-c", hint.replace(" run", " --version")],
                           cwd=VENV_BIN.parent.parent, env={"PATH": plain_path},
                           capture_output=True, text=True, timeout=60, check=False)
    assert typed.returncode == 0 and typed.stdout.startswith("checkin "), typed.stderr


def test_with_this_checkin_on_the_path_the_hint_says_checkin(tmp_path: Path) -> None:
    if not (VENV_BIN / "checkin").is_file():
        pytest.skip("the checkin script is not installed in this environment")
    done = _run_checkin(f"{VENV_BIN}:/usr/bin:/bin", tmp_path, tmp_path)
    assert _hinted(done.stderr) == "checkin run"
