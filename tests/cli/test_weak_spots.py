"""Smaller things a careful new user or a hostile tester ran into, each now one clear line or
the right behaviour (issue 24's weaker spots, and `analyze`/`transcribe` on a folder)."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from assistant.guides import SHIPPED, shipped_path
from assistant.journal.store import Journal
from tests.support.cli import checkin
from tests.support.commands import child


def one_line(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]


@pytest.mark.parametrize("command", ["analyze", "transcribe"])
def test_a_folder_given_for_a_recording_is_one_line(tmp_path: Path, command: str) -> None:
    # before: analyze crashed with IsADirectoryError, transcribe said "no such file"
    assert one_line(checkin(command, str(tmp_path))) == \
        f"checkin: {tmp_path} is a folder; give a WAV file in it"


def test_an_empty_data_dir_is_refused_not_read_as_here(tmp_path: Path) -> None:
    for args in (("history", "--data-dir", ""), ("run", "--text", "--data-dir", " ")):
        line = one_line(checkin(*args))
        assert "argument --data-dir: is empty; give a folder, or leave it out for the usual " \
               "one; see: " in line


def test_a_data_dir_that_is_a_file_is_said_by_the_reading_commands_too(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine")
    for command in ("history", "appreciations", "export"):
        line = one_line(checkin(command, "--data-dir", str(blocker)))
        assert line == (f"checkin: The journal folder {blocker} is a file, not a folder; choose "
                        "another folder with --data-dir or CHECKIN_HOME.")
    assert blocker.read_text() == "mine"


def test_a_system_folder_is_not_reported_as_a_full_disk() -> None:
    if not Path("/proc/self").exists():
        pytest.skip("no /proc here")
    line = one_line(checkin("run", "--text", "--names", "Ana,Ben", "--data-dir", "/proc/x"))
    assert "full" not in line
    assert "is on /proc, which holds no files (a system folder, not a disk)" in line


def test_save_it_before_anything_was_said_gets_an_answer(tmp_path: Path) -> None:
    run = checkin("run", "--text", "--guide", "daily", "--names", "Ana,Ben", "--data-dir",
                  str(tmp_path), stdin="yes\nyes\ndone\ndone\nsave it\nthe tea\nsave it\n")
    assert run.returncode == 0, run.stderr
    asked = run.stdout.index("Ana, what do you appreciate about Ben today?")
    told = run.stdout.index('There is nothing to save yet, Ana. Type it first, then "save it".')
    assert asked < told < run.stdout.index('I heard: "the tea"')
    with Journal.open(tmp_path) as journal:
        assert [a.text for a in journal.appreciations()] == ["the tea"]


def test_run_help_names_every_shipped_guide() -> None:
    shown = " ".join(checkin("run", "--help").stdout.split())
    for name in SHIPPED:
        assert name in shown, name


def test_a_mistake_on_the_command_line_is_one_line() -> None:
    line = one_line(checkin("run", "--turn-minutes", "five"))
    assert line == ("checkin run: argument --turn-minutes: invalid float value: 'five'; see: "
                    f"{child('run', '--help')}")


def own_guide(tmp_path: Path) -> Path:
    path = tmp_path / "guides-elsewhere" / "evening.toml"
    path.parent.mkdir()
    path.write_text(shipped_path("daily").read_text(encoding="utf-8")
                    .replace('name = "daily"', 'name = "evening"'), encoding="utf-8")
    return path


def interrupt(folder: Path, guide: Path) -> None:
    """A check-in from a guide file, stopped by a crash during the sharing round."""
    run = checkin("run", "--text", "--guide", str(guide), "--names", "Ana,Ben", "--data-dir",
                  str(folder), stdin="yes\nyes\ndone\nstop\n")
    assert run.returncode == 0, run.stderr
    with sqlite3.connect(folder / "journal.sqlite3") as db:  # as a kill -9 leaves it
        db.execute("UPDATE sessions SET ended_at = NULL, end_reason = NULL")
    db.close()


def test_a_checkin_from_a_guide_file_resumes_from_that_file(tmp_path: Path) -> None:
    # before: "no guide named 'evening'" unless --guide FILE was given again
    interrupt(tmp_path / "data", own_guide(tmp_path))
    resumed = checkin("run", "--text", "--resume", "--data-dir", str(tmp_path / "data"),
                      stdin="done\nstop\n")
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming the daily check-in" in resumed.stderr


def test_resuming_when_that_guide_file_is_gone_says_how(tmp_path: Path) -> None:
    guide = own_guide(tmp_path)
    interrupt(tmp_path / "data", guide)
    guide.unlink()
    gone = checkin("run", "--text", "--resume", "--data-dir", str(tmp_path / "data"))
    assert one_line(gone) == (
        f"checkin: the check-in to resume was started from the guide file {guide.resolve()}, "
        f"which is not there any more; give it with: "
        f"{child('run', '--resume', '--guide', 'FILE')}")
