"""One check-in per journal at a time, held by an OS lock that goes when its process goes.

Before: `run --resume` while that check-in was still running in another process wrote the
same session from both (a step of at most two items got four; the end written twice), and
two check-ins on one data folder started without a word.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from assistant.errors import JournalBusy
from assistant.journal.lock import LOCK_NAME, JournalLock, holding
from assistant.journal.store import Journal
from speechlab.checkin_process import Screen
from tests.support.cli import checkin, start_checkin


def start(folder: Path, *args: str) -> subprocess.Popen[str]:
    return start_checkin("run", "--text", "--guide", "daily", "--names", "Ana,Ben", *args,
                         data_dir=folder)


def test_a_second_checkin_or_resume_is_refused_while_one_runs(tmp_path: Path) -> None:
    with start(tmp_path) as first:
        screen = Screen(first)
        try:
            screen.expect("Ana, are you ready?")
            screen.type("yes")
            screen.type("yes")
            screen.expect("[Ana's turn:")
            for args in (("run", "--text", "--names", "Ana,Ben"), ("run", "--text", "--resume")):
                second = checkin(*args, data_dir=tmp_path, stdin="yes\nyes\n")
                assert second.returncode == 2, second.stdout
                assert second.stderr.splitlines() == [
                    f"checkin: A check-in is already running on the journal in {tmp_path} "
                    f"(process {first.pid}); finish or stop it there first (history and the "
                    "other reading commands work meanwhile)."]
                assert "are you ready" not in second.stdout
            # reading works meanwhile (SQLite's WAL readers), and sees the check-in so far
            history = checkin("history", data_dir=tmp_path)
            assert history.returncode == 0, history.stderr
            assert "daily, typed" in history.stdout and "unfinished" in history.stdout
            forget = checkin("voices", "forget", data_dir=tmp_path)
            assert forget.returncode == 2 and "already running" in forget.stderr
            screen.type("stop")
            screen.expect("[check-in ended: stopped]")
            assert first.wait(timeout=10) == 0
        finally:
            if first.poll() is None:
                first.kill()
    after = checkin("run", "--text", "--guide", "daily", "--names", "Ana,Ben", data_dir=tmp_path,
                    stdin="no\n")
    assert after.returncode == 0, after.stderr  # the lock went with the first check-in
    with Journal.open(tmp_path) as journal:
        assert [s.end_reason for s in journal.sessions()] == ["stopped", "declined"]


def test_kill_9_releases_the_lock_and_resume_carries_on(tmp_path: Path) -> None:
    with start(tmp_path) as first:
        screen = Screen(first)
        try:
            screen.expect("Ana, are you ready?")
            screen.type("yes")
            screen.type("yes")
            screen.expect("[Ana's turn:")
            os.kill(first.pid, signal.SIGKILL)
            assert first.wait(timeout=10) == -signal.SIGKILL
        finally:
            if first.poll() is None:
                first.kill()
    resumed = checkin("run", "--text", "--resume", data_dir=tmp_path, stdin="done\ndone\nstop\n")
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming the daily check-in" in resumed.stderr
    with Journal.open(tmp_path) as journal:
        (session,) = journal.sessions()
        assert session.end_reason == "stopped"


def test_the_lock_names_its_holder_and_is_released_on_exit(tmp_path: Path) -> None:
    with holding(tmp_path):
        assert (tmp_path / LOCK_NAME).read_text() == f"{os.getpid()}\n"
        assert oct((tmp_path / LOCK_NAME).stat().st_mode & 0o777) == "0o600"
        try:
            JournalLock.acquire(tmp_path)
        except JournalBusy as err:
            assert f"(process {os.getpid()})" in str(err)
        else:
            raise AssertionError("a second lock on the same journal was given")
    again = JournalLock.acquire(tmp_path)
    again.release()
