"""Every setting is checked before anything opens: flags, the config file, the environment.

A bad value found late (a config file's sensitivity when the hearing opened, a trace
file when the live view was up) ended a check-in after its session row was written.
Each bad value is one line naming the key as the person wrote it and what it may be,
exit code 2, no traceback, and no journal touched.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.audio.rising import SENSITIVITIES
from assistant.cli import main
from assistant.errors import ConfigError
from assistant.limits import SENSITIVITY_LEVELS
from assistant.settings import Settings, read_environment
from tests.support.cli import checkin_in_process

NO_USER = "~no-such-user-26/journal"

# (flags after `checkin run --text --names Ana,Ben`, what the one line says)
BAD_FLAGS = [
    (["--turn-minutes", "0"], "--turn-minutes must be greater than zero, got 0.0"),
    (["--pause-minutes", "inf"], "--pause-minutes must be a finite number of minutes"),
    (["--reflect-minutes", "61"], "--reflect-minutes must be at most 60 minutes"),
    (["--rate", "5"], "--rate must be at least 40 words a minute, got 5"),
    (["--interruption-seconds", "-1"], "--interruption-seconds must be greater than zero"),
    (["--names", "Ana,ana"], "--names needs two different names"),
    (["--data-dir", NO_USER], "--data-dir starts with ~no-such-user-26, but there is no such "
                              "user here"),
    (["--sensitivity", "loud"], "argument --sensitivity: invalid choice: 'loud'"),
    (["--guide", "nosuch"], "no guide named 'nosuch'; choose one of weekly, daily"),
]

# (a line of the config file, what the one line says after the file's path)
BAD_CONFIG = [
    ('sensitivity = "loud"', "sensitivity must be one of low, medium, high, got 'loud'"),
    ("turn_minutes = 0", "turn_minutes must be greater than zero, got 0"),
    ("rate = 5", "rate must be at least 40 words a minute, got 5"),
    ('names = "Ana"', 'names needs two names separated by a comma, e.g. "Ana,Ben"'),
    (f'data_dir = "{NO_USER}"', "data_dir starts with ~no-such-user-26, but there is no such "
                                "user here"),
    ('sensitivity = 3', "sensitivity should be text in quotes, got 3"),
]


def bad_environment(tmp_path: Path) -> list[tuple[dict[str, str], str]]:
    """(variables, what the one line says) for each variable checkin reads."""
    return [
        ({"CHECKIN_HOME": NO_USER}, "CHECKIN_HOME=~no-such-user-26/journal starts with "
                                    "~no-such-user-26, but there is no such user here"),
        ({"CHECKIN_CONFIG": str(tmp_path / "missing.toml")},
         f"$CHECKIN_CONFIG names {tmp_path / 'missing.toml'}, which does not exist"),
        ({"CHECKIN_TRACE": str(tmp_path)}, f"CHECKIN_TRACE={tmp_path} is a folder; give a "
                                           "file to append to"),
        ({"CHECKIN_TRACE": str(tmp_path / "gone" / "trace.txt")},
         f"the folder {tmp_path / 'gone'} does not exist"),
        ({"CHECKIN_SILERO_MODEL": str(tmp_path / "none.onnx")},
         f"CHECKIN_SILERO_MODEL={tmp_path / 'none.onnx'} is not a file; point it at "
         "silero_vad.onnx"),
    ]


def run_in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """`checkin run --text ...` in this process: its exit code and what it said on stderr."""
    code = checkin_in_process("run", "--text", *args)
    return code, capsys.readouterr().err


def assert_one_line(code: int, err: str, expected: str, data: Path) -> None:
    assert code == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert expected in err, err
    assert not data.exists(), "the journal folder was made before the settings were checked"


@pytest.fixture()
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No CHECKIN_* variable from outside; an empty config file; the data folder's path."""
    for name in ("CHECKIN_HOME", "CHECKIN_CONFIG", "CHECKIN_TRACE", "CHECKIN_SILERO_MODEL"):
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("CHECKIN_CONFIG", str(config))
    return tmp_path / "data"


@pytest.mark.parametrize(("flags", "expected"), BAD_FLAGS)
def test_a_bad_flag_is_one_line_before_anything_opens(
        flags: list[str], expected: str, clean_env: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_in_process(capsys, "--names", "Ana,Ben", "--data-dir", str(clean_env),
                               *flags)
    assert_one_line(code, err, expected, clean_env)


@pytest.mark.parametrize(("line", "expected"), BAD_CONFIG)
def test_a_bad_config_value_names_the_file_and_key(
        line: str, expected: str, clean_env: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "config.toml").write_text(line + "\n", encoding="utf-8")
    code, err = run_in_process(capsys, "--names", "Ana,Ben", "--data-dir", str(clean_env))
    assert_one_line(code, err, f"{tmp_path / 'config.toml'}: {expected}", clean_env)


def test_a_bad_environment_variable_is_one_line_naming_it(
        clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    for variables, expected in bad_environment(tmp_path):
        with monkeypatch.context() as env:
            for name, value in variables.items():
                env.setenv(name, value)
            code, err = run_in_process(capsys, "--names", "Ana,Ben")
            assert_one_line(code, err, expected, clean_env)
            if "CHECKIN_CONFIG" not in variables:  # a config file is read by `run` only
                # every command checks the variables first, not only `run`
                assert main(["history", "--data-dir", str(clean_env)]) == 2
                assert expected in capsys.readouterr().err


def test_the_environment_is_read_as_values() -> None:
    assert read_environment({}) == read_environment({"CHECKIN_HOME": "  "})  # blanks: unset
    home = read_environment({"CHECKIN_HOME": "~/journal"}).home
    assert home == Path.home() / "journal"
    with pytest.raises(ConfigError, match="^CHECKIN_CONFIG holds a NUL character"):
        read_environment({"CHECKIN_CONFIG": "a\x00b"})


def test_settings_made_any_other_way_refuse_a_bad_sensitivity() -> None:
    with pytest.raises(ConfigError, match="^sensitivity must be one of low, medium, high"):
        Settings(sensitivity="loud")


def test_the_sensitivity_levels_are_the_hearings() -> None:
    assert tuple(SENSITIVITIES) == SENSITIVITY_LEVELS


def sessions_in(data: Path) -> int:
    """How many check-ins the journal holds (none when it was never made)."""
    path = data / "journal.sqlite3"
    if not path.exists():
        return 0
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT count(*) FROM sessions").fetchone()[0])


def test_a_bad_config_value_writes_nothing_to_the_journal(tmp_path: Path) -> None:
    """Before: a typed check-in never opens the hearing, so sensitivity = "loud" ran it to
    the end, and a spoken one wrote its session row before the hearing refused."""
    config = tmp_path / "config.toml"
    config.write_text('sensitivity = "loud"\n', encoding="utf-8")
    data = tmp_path / "data"
    env = {**os.environ, "CHECKIN_CONFIG": str(config), "CHECKIN_HOME": str(data)}
    env.pop("CHECKIN_TRACE", None)
    run = subprocess.run([sys.executable, "-m", "assistant", "run", "--text", "--names",
                          "Ana,Ben", "--guide", "daily"], input="yes\nyes\nstop\n",
                         capture_output=True, text=True, timeout=60, check=False, env=env)
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip() == (f"checkin: {config}: sensitivity must be one of low, "
                                  "medium, high, got 'loud'")
    assert sessions_in(data) == 0
    config.write_text('sensitivity = "high"\n', encoding="utf-8")  # the same run, allowed
    run = subprocess.run([sys.executable, "-m", "assistant", "run", "--text", "--names",
                          "Ana,Ben", "--guide", "daily"], input="yes\nyes\nstop\n",
                         capture_output=True, text=True, timeout=60, check=False, env=env)
    assert run.returncode == 0, run.stderr
    assert sessions_in(data) == 1
