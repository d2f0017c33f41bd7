"""A damaged journal: one line naming the file and the command that restores it, from every
command and before a check-in starts; backups after each check-in, and the way back.

Before: random bytes across the file gave a traceback from history, appreciations, export,
report and run; one damaged page gave `sqlite3.DatabaseError: database disk image is
malformed`, and with the damage further in, only at the first turn, after both partners
said yes. There was no backup and no way back. A 0-byte journal was rewritten by
`appreciations`, which the docs say only reads, and a journal on a read-only disk could
not be read at all.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shlex
import sqlite3
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from assistant.errors import JournalDamaged, StorageError
from assistant.flow.events import Appreciation, Cause
from assistant.journal.backup import KEEP, list_backups
from assistant.journal.paths import DB_NAME
from assistant.journal.store import Journal
from tests.support.cli import checkin, start_checkin
from tests.support.mounts import remount, tmpfs

DAILY = ("yes\nyes\ndone\ndone\nyou made tea \u2615 every morning\nsave it\n"
         "you listened, really listened\nsave it\n")
CONFIRMED = ["you listened, really listened", "you made tea \u2615 every morning"]
PAGE = 4096



def completed_checkin(folder: Path) -> None:
    run = checkin("run", "--text", "--guide", "daily", "--names", "Ana,Ben", data_dir=folder,
                  stdin=DAILY)
    assert run.returncode == 0 and "[check-in ended: completed]" in run.stdout, run.stderr


def root_page(path: Path, table: str) -> int:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return int(db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                              (table,)).fetchone()[0])


def damage(path: Path, how: str) -> None:
    """Break the file as disks and sync tools do: a sprinkle of random bytes across it, or
    the header of one table's page (the sessions table, or the turns table further in)."""
    data = bytearray(path.read_bytes())
    rnd = random.Random(24)
    if how == "spray":
        for at in range(100, len(data), 97):
            data[at] = rnd.randrange(256)
    elif how == "header":
        data[:16] = b"definitely not  "
    else:
        page = root_page(path, how)
        start = (page - 1) * PAGE
        data[start:start + 12] = bytes(rnd.randrange(256) for _ in range(12))
    path.write_bytes(bytes(data))


def restore_command(message: str) -> list[str]:
    """The command a damaged-journal message names, as the user would type it."""
    found = re.search(r"restore the last good copy with: (.*)$", message)
    assert found, message
    return shlex.split(found.group(1))


@pytest.mark.parametrize("how", ["spray", "header", "sessions", "turns"])
def test_every_command_says_in_one_line_which_file_is_damaged_and_how_to_restore_it(
        tmp_path: Path, how: str) -> None:
    completed_checkin(tmp_path)
    damage(tmp_path / DB_NAME, how)
    for args, stdin in ((("history",), ""), (("appreciations",), ""), (("export",), ""),
                        (("report", "--out", str(tmp_path / "r.png")), ""),
                        (("run", "--text", "--guide", "daily", "--names", "Ana,Ben"),
                         "yes\nyes\n")):
        run = checkin(*args, data_dir=tmp_path, stdin=stdin)
        assert run.returncode == 2, (args, run.stdout[-300:], run.stderr)
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in run.stderr, (args, run.stderr)
        assert lines[0].startswith(f"checkin: The journal {tmp_path / DB_NAME} "), lines[0]
        assert "restore the last good copy with: " in lines[0]
        assert "are you ready" not in run.stdout  # found before anyone was asked anything


def test_a_damaged_journal_is_restored_by_the_command_in_its_own_message(tmp_path: Path) -> None:
    completed_checkin(tmp_path)
    damage(tmp_path / DB_NAME, "appreciations")
    failed = checkin("appreciations", data_dir=tmp_path)
    assert failed.returncode == 2
    command = restore_command(failed.stderr.strip())
    assert command[-3:] == ["restore", "--data-dir", str(tmp_path)]
    check = checkin("journal", "check", data_dir=tmp_path)
    assert check.returncode == 1
    assert check.stdout.splitlines()[0].startswith(f"{tmp_path / DB_NAME}: damaged (")
    # the command as printed (`python -m assistant journal restore --data-dir ...`)
    restored = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False,
                              env={**os.environ, "PYTHONUTF8": "1"})
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith("Restored the journal from ")
    assert "(1 check-in, 2 appreciations, the last on " in restored.stdout
    listed = checkin("appreciations", "--json", data_dir=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert sorted(a["text"] for a in json.loads(listed.stdout)) == CONFIRMED  # nothing lost
    assert checkin("journal", "check", data_dir=tmp_path).returncode == 0
    kept = list(tmp_path.glob("journal-replaced-*.sqlite3"))
    assert len(kept) == 1  # the damaged file is kept, never deleted
    assert checkin("run", "--text", "--guide", "daily", "--names", "Ana,Ben", data_dir=tmp_path,
                   stdin="no\n").returncode == 0


def test_a_backup_follows_each_checkin_that_ended_private_and_self_contained(
        tmp_path: Path) -> None:
    completed_checkin(tmp_path)
    (copy,) = list_backups(tmp_path)
    assert copy.parent == tmp_path / "backups"
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    assert oct(copy.parent.stat().st_mode & 0o777) == "0o700"
    assert not Path(f"{copy}-wal").exists()
    with contextlib.closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        texts = sorted(r[0] for r in db.execute("SELECT text FROM appreciations"))
    assert texts == CONFIRMED


def test_the_newest_five_backups_are_kept(data_dir: Path) -> None:
    start = datetime(2024, 5, 1, 20, 0)
    with Journal.open(data_dir) as journal:
        for day in range(7):
            journal.back_up(start + timedelta(days=day))
    names = [p.name for p in list_backups(data_dir)]
    assert len(names) == KEEP == 5
    assert names[0] == "journal-20240507-200000-000000.sqlite3"
    assert names[-1] == "journal-20240503-200000-000000.sqlite3"


def test_a_damaged_journal_never_replaces_a_good_backup(data_dir: Path) -> None:
    with Journal.open(data_dir) as journal:
        sid = journal.begin_session("daily", ("Ana", "Ben"), datetime(2024, 5, 1, 20, 0))
        journal.record(sid, Cause("Ana", "work", 1.0), datetime(2024, 5, 1, 20, 1))
        assert journal.back_up(datetime(2024, 5, 1, 21, 0)) is not None
    damage(data_dir / DB_NAME, "causes")
    with pytest.raises(JournalDamaged):
        Journal.open(data_dir)
    assert len(list_backups(data_dir)) == 1


def test_restore_refuses_while_a_checkin_runs_and_without_a_backup(tmp_path: Path) -> None:
    none = checkin("journal", "restore", data_dir=tmp_path)
    assert none.returncode == 2
    assert none.stderr.strip() == (f"checkin: There is no backup in {tmp_path / 'backups'} yet "
                                   "(one is made after each check-in that comes to its end).")
    completed_checkin(tmp_path)
    with start_checkin("run", "--text", "--guide", "daily", "--names", "Ana,Ben",
                       data_dir=tmp_path) as running:
        try:
            assert running.stdout is not None
            for line in running.stdout:
                if "are you ready" in line:
                    break
            busy = checkin("journal", "restore", data_dir=tmp_path)
            assert busy.returncode == 2 and "already running" in busy.stderr
        finally:
            running.kill()


def test_restore_takes_a_backup_by_the_name_check_lists(tmp_path: Path) -> None:
    completed_checkin(tmp_path)
    (copy,) = list_backups(tmp_path)
    check = checkin("journal", "check", data_dir=tmp_path)
    assert f"{copy}: ok (1 check-in, 2 appreciations" in check.stdout
    restored = checkin("journal", "restore", copy.name, data_dir=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert f"from {copy} " in restored.stdout


def test_reading_commands_never_write_a_zero_byte_or_missing_journal(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"")
    for args in (("history",), ("appreciations",), ("export",), ("export", "--json"),
                 ("history", "--json"), ("journal", "check")):
        run = checkin(*args, data_dir=tmp_path)
        assert run.returncode == 0, (args, run.stderr)
    assert (tmp_path / DB_NAME).stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [DB_NAME]


def test_an_empty_journal_with_backups_is_not_silently_started_again(tmp_path: Path) -> None:
    completed_checkin(tmp_path)
    (tmp_path / DB_NAME).write_bytes(b"")
    for suffix in ("-wal", "-shm"):
        Path(f"{tmp_path / DB_NAME}{suffix}").unlink(missing_ok=True)
    run = checkin("run", "--text", "--guide", "daily", "--names", "Ana,Ben", data_dir=tmp_path,
                  stdin="yes\nyes\n")
    assert run.returncode == 2
    assert "is empty, but backups of it exist; restore the newest with: " in run.stderr


def test_a_damaged_text_reads_with_its_bytes_visible(data_dir: Path) -> None:
    with Journal.open(data_dir) as journal:
        sid = journal.begin_session("daily", ("Ana", "Ben"), datetime(2024, 5, 1, 20, 0))
        journal.record(sid, Appreciation("Ana", "Ben", "thanks for the tea", 1.0, 1.0),
                       datetime(2024, 5, 1, 20, 1))
    path = data_dir / DB_NAME
    data = path.read_bytes()
    path.write_bytes(data.replace(b"thanks for", b"thanks \xff\xfer"))  # same length
    journal = Journal.open_read_only(data_dir)
    assert journal is not None
    with journal:
        assert [a.text for a in journal.appreciations()] == ["thanks \\xff\\xfer the tea"]


def test_a_journal_on_a_read_only_disk_can_be_read(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", 2048) as disk:
        completed_checkin(disk)
        for name in os.listdir(disk):
            assert not name.endswith(("-wal", "-shm")), name  # closed and checkpointed
        remount(disk, "ro")
        try:
            history = checkin("history", data_dir=disk)
            assert history.returncode == 0, history.stderr
            assert "daily, typed" in history.stdout
            listed = checkin("appreciations", data_dir=disk)
            assert "you made tea" in listed.stdout
            run = checkin("run", "--text", "--names", "Ana,Ben", data_dir=disk, stdin="no\n")
            assert run.returncode == 2 and "read-only" in run.stderr
        finally:
            remount(disk, "rw")


def test_open_read_only_refuses_a_data_folder_that_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError, match="is a file, not a folder"):
        Journal.open_read_only(blocker)
    run = checkin("history", data_dir=blocker)
    assert run.returncode == 2 and "is a file, not a folder" in run.stderr
