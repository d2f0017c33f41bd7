"""Settings: defaults < the config file < flags, and a broken config file is one line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.cli import checkin, checkin_in_process


def run_with_config(tmp_path: Path, config: str, *flags: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "config.toml"
    path.write_text(config, encoding="utf-8")
    return checkin("run", "--text", *flags, stdin="yes\nyes\nstop\n",
                   env={"CHECKIN_CONFIG": str(path), "CHECKIN_HOME": str(tmp_path / "data")})


def typed_with_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture[str], config: str, *flags: str) -> str:
    """A typed check-in in this process with `config` as its config file, stopped after
    both consents: what it printed."""
    path = tmp_path / "config.toml"
    path.write_text(config, encoding="utf-8")
    monkeypatch.setenv("CHECKIN_CONFIG", str(path))
    monkeypatch.setenv("CHECKIN_HOME", str(tmp_path / "data"))
    code = checkin_in_process("run", "--text", *flags, stdin="yes\nyes\nstop\n")
    printed = capsys.readouterr()
    assert code == 0, printed.err
    return printed.out


def test_config_file_fills_what_the_flags_leave_unset(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = typed_with_config(tmp_path, monkeypatch, capsys,
                            'names = "Mia,Leo"\nguide = "daily"\nturn_minutes = 0.5\n')
    assert "Mia, you have 30 seconds." in out
    assert "Name of the first partner" not in out


def test_flags_win_over_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = typed_with_config(tmp_path, monkeypatch, capsys,
                            'names = "Mia,Leo"\nguide = "daily"\nturn_minutes = 0.5\n',
                            "--turn-minutes", "0.1", "--names", "Ana,Ben")
    assert "Ana, you have 6 seconds." in out


def test_a_broken_config_file_is_one_line(tmp_path: Path) -> None:
    run = run_with_config(tmp_path, "turn_minutes = 'five'\n")
    assert run.returncode == 2
    assert run.stderr.strip().endswith("turn_minutes should be a number, got 'five'")
    assert len(run.stderr.strip().splitlines()) == 1
    run = run_with_config(tmp_path, "colour = 'blue'\n")
    assert "unknown setting 'colour'" in run.stderr


def test_settings_are_built_once_defaults_then_file_then_flags() -> None:
    from dataclasses import FrozenInstanceError

    import pytest

    from assistant.cli import build_parser
    from assistant.settings import Settings, build_settings

    args = build_parser().parse_args(["run", "--turn-minutes", "4", "--rate", "180", "--text",
                                      "--input-device", "3"])
    config = {"names": "Mia,Leo", "turn_minutes": 6, "data_dir": "~/journal",
              "sensitivity": "high"}
    settings = build_settings(args, config, environ={"CHECKIN_TRACE": "/tmp/trace.txt"})
    assert settings.turn_minutes == 4  # the flag wins over the file
    assert settings.names == "Mia,Leo" and settings.sensitivity == "high"  # the file fills
    assert settings.data_dir == Path("~/journal").expanduser()
    assert settings.words_per_minute == 180 and settings.typed is True
    assert settings.device == 3  # an index, as PortAudio takes it
    assert settings.captions is True and settings.display is None  # the defaults
    assert settings.trace_file == Path("/tmp/trace.txt")
    assert build_settings(build_parser().parse_args(["run"]), {}, environ={}) == Settings()
    with pytest.raises(FrozenInstanceError):
        settings.typed = False  # type: ignore[misc]


def test_every_command_reads_the_journal_where_the_config_file_keeps_it(tmp_path: Path) -> None:
    """`data_dir` in the config file is where `run` keeps the journal, so it is where the
    reading commands look too (they looked in $CHECKIN_HOME or the user data folder, and
    said "No check-ins yet." about a journal that was there); --data-dir still wins."""
    kept, elsewhere = tmp_path / "kept", tmp_path / "elsewhere"
    path = tmp_path / "config.toml"
    path.write_text(f'data_dir = "{kept}"\nnames = "Mia,Leo"\nguide = "daily"\n',
                    encoding="utf-8")
    env = {"CHECKIN_CONFIG": str(path), "CHECKIN_HOME": str(elsewhere)}
    run = checkin("run", "--text", stdin="yes\nyes\nstop\n", env=env)
    assert run.returncode == 0, run.stderr
    assert (kept / "journal.sqlite3").exists() and not elsewhere.exists()
    history = checkin("history", "--json", env=env)
    assert history.returncode == 0, history.stderr
    assert '"daily"' in history.stdout
    other = checkin("history", "--data-dir", str(elsewhere), env=env)
    assert "No check-ins yet." in other.stdout
    check = checkin("journal", "check", env=env)
    assert str(kept / "journal.sqlite3") in check.stdout, check.stdout + check.stderr
    voices = checkin("voices", "list", env=env)
    assert voices.returncode == 0 and "No voice profiles are kept." in voices.stdout
    broken = tmp_path / "broken.toml"
    broken.write_text("data_dir = 3\n", encoding="utf-8")
    refused = checkin("history", env={**env, "CHECKIN_CONFIG": str(broken)})
    assert refused.returncode == 2 and "data_dir should be" in refused.stderr
