"""Every number a person sets is finite and bounded, whichever way it comes in: a flag, the
config file or a guide file. Each bad one is one line naming where it came from, before
anything starts; `guides check` refuses what `run` would refuse.

Before: `--turn-minutes nan` (or inf, 1e308, a pause or reflect time of nan, the same in the
config file or a guide) crashed with ValueError/OverflowError after both partners said yes,
and `guides check` called such a guide "ok".
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.guides import shipped_path
from assistant.limits import LIMITS, problem
from assistant.settings import Settings
from tests.support.cli import checkin as run_checkin

CONSENT = "yes\nyes\n"


def configured_checkin(*args: str, stdin: str = CONSENT,
            config: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`checkin` in a subprocess, with `config` as its config file (None: no config file:
    the usual place is an empty folder)."""
    env = {"XDG_CONFIG_HOME": str(Path(os.sep) / "nonexistent" / "checkin-test-config")}
    if config is not None:
        env["CHECKIN_CONFIG"] = str(config)
    return run_checkin(*args, stdin=stdin, env=env, unset=("CHECKIN_CONFIG",))


def one_line(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 2, (run.returncode, run.stdout[-500:], run.stderr)
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]


@pytest.mark.parametrize(("flag", "value", "says"), [
    ("--turn-minutes", "nan", "--turn-minutes must be a finite number of minutes, got nan"),
    ("--turn-minutes", "inf", "--turn-minutes must be a finite number of minutes, got inf"),
    ("--turn-minutes", "1e308", "--turn-minutes must be at most 60 minutes, got 1e+308"),
    ("--pause-minutes", "nan", "--pause-minutes must be a finite number of minutes, got nan"),
    ("--pause-minutes", "inf", "--pause-minutes must be a finite number of minutes, got inf"),
    ("--reflect-minutes", "nan", "--reflect-minutes must be a finite number of minutes, got nan"),
    ("--interruption-seconds", "nan",
     "--interruption-seconds must be a finite number of seconds, got nan"),
    ("--rate", "0", "--rate must be at least 40 words a minute, got 0"),
    ("--turn-minutes", "0", "--turn-minutes must be greater than zero, got 0.0"),
])
def test_a_bad_number_on_the_command_line_is_one_line_before_anything_starts(
        tmp_path: Path, flag: str, value: str, says: str) -> None:
    run = configured_checkin("run", "--text", "--guide", "daily", "--names", "Ana,Ben", flag, value,
                  "--data-dir", str(tmp_path))
    assert one_line(run) == f"checkin: {says}"
    assert "are you ready" not in run.stdout  # refused before anyone was asked


@pytest.mark.parametrize(("text", "says"), [
    ("turn_minutes = nan\n", "turn_minutes must be a finite number of minutes, got nan"),
    ("pause_minutes = inf\n", "pause_minutes must be a finite number of minutes, got inf"),
    ("turn_minutes = -2\n", "turn_minutes must be greater than zero, got -2"),
    ("rate = 0\n", "rate must be at least 40 words a minute, got 0"),
    ("interruption_seconds = 1e12\n", "interruption_seconds must be at most 600 seconds, got "
     "1000000000000.0"),
    ('names = "Ana"\n', 'names needs two names separated by a comma, e.g. "Ana,Ben"; '
     "got 'Ana'"),
    ('data_dir = ""\n', "data_dir is empty; give a folder, or leave it out for the usual one"),
])
def test_a_bad_value_in_the_config_file_names_the_file_and_the_key(
        tmp_path: Path, text: str, says: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    run = configured_checkin("run", "--text", "--guide", "daily", "--data-dir", str(tmp_path / "data"),
                  config=config)
    line = one_line(run)
    assert line == f"checkin: {config}: {says}"
    assert "--" not in line.replace(str(config), "")  # not blamed on a flag


def test_a_config_file_named_by_checkin_config_must_exist(tmp_path: Path) -> None:
    missing = tmp_path / "confg.toml"  # a typo
    run = configured_checkin("run", "--text", "--names", "Ana,Ben", "--data-dir", str(tmp_path),
                  config=missing)
    assert one_line(run) == (f"checkin: $CHECKIN_CONFIG names {missing}, which does not "
                             "exist; create it, or unset CHECKIN_CONFIG")


def test_a_config_file_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(b'names = "Jos\xe9,Ana"\n')
    run = configured_checkin("run", "--text", "--data-dir", str(tmp_path), config=config)
    assert one_line(run) == f"checkin: {config}: not UTF-8 text (byte 12); save it as UTF-8"


def guide_with(tmp_path: Path, old: str, new: str) -> Path:
    text = shipped_path("daily").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "mine.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "says"), [
    ("turn_minutes = 3", "turn_minutes = nan",
     "settings.turn_minutes: must be a finite number of minutes, got nan"),
    ("turn_minutes = 3", "turn_minutes = 1e12",
     "settings.turn_minutes: must be at most 60 minutes, got 1000000000000.0"),
    ("pause_minutes = 10", "pause_minutes = inf",
     "settings.pause_minutes: must be a finite number of minutes, got inf"),
    ("pause_minutes = 10", "pause_minutes = 10\nheat_limit = 2.5",
     "settings.heat_limit: must be a whole number of raised voices, got 2.5"),
    ('title = "Daily check-in"', 'title = "' + "x" * 5000 + '"',
     "guide.title: 5000 characters; a sentence may have at most 2000"),
])
def test_guides_check_refuses_what_run_refuses(tmp_path: Path, old: str, new: str,
                                               says: str) -> None:
    path = guide_with(tmp_path, old, new)
    check = configured_checkin("guides", "check", str(path), stdin="")
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert check.stdout.splitlines() == [f"{path}: {says}", "1 problem(s) found."]
    run = configured_checkin("run", "--text", "--guide", str(path), "--names", "Ana,Ben", "--data-dir",
                  str(tmp_path / "data"))
    assert one_line(run).startswith(f"checkin: {path}: {says}; run: ")


def test_a_five_megabyte_guide_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = guide_with(tmp_path, 'title = "Daily check-in"', 'title = "' + "x" * 5_000_000 + '"')
    check = configured_checkin("guides", "check", str(path), stdin="")
    assert check.returncode == 1
    assert check.stdout.splitlines() == [
        f"{path}: file: larger than 256 KB; a guide is a page of sentences", "1 problem(s) found."]


def test_every_limit_refuses_nan_infinity_and_beyond_its_bounds() -> None:
    for key, limit in LIMITS.items():
        for bad in (float("nan"), float("inf"), -float("inf"), limit.high * 2 + 1, -1, True,
                    "5"):
            assert problem(key, bad), (key, bad)
        assert problem(key, limit.high) is None, key
        assert problem(key, limit.low) is None if limit.low_allowed else problem(key, limit.low)


def test_settings_made_any_other_way_hold_only_runnable_numbers() -> None:
    with pytest.raises(ConfigError, match="turn_minutes must be a finite number"):
        Settings(turn_minutes=float("nan"))
    with pytest.raises(ConfigError, match="rate must be at least 40"):
        Settings(words_per_minute=0)
