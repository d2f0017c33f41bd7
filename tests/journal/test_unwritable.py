"""A data folder that cannot be written, or a full disk: a one-line error at open, before
any check-in starts, and nothing half-written.

As root, chmod does not stop writes, so "read-only" is made three ways: a path under a
regular file (works for everyone), a chmod 0500 folder (only when not root), and a real
read-only tmpfs mount (only where mounting is allowed, e.g. root in this container).
"Full" is a real tiny tmpfs that is filled up; where mounting is not allowed the test is
skipped, and SQLite's own full-database error is provoked with PRAGMA max_page_count.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from assistant.errors import StorageError
from assistant.flow.events import Appreciation, Ritual
from assistant.journal.paths import DB_NAME
from assistant.journal.store import Journal
from tests.support.mounts import remount, tmpfs

T0 = datetime(2024, 4, 7, 19, 0)


def one_line(err: pytest.ExceptionInfo[StorageError]) -> str:
    message = str(err.value)
    assert "\n" not in message and message.endswith(".")
    return message


def test_a_data_dir_under_a_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(StorageError) as caught:
        Journal.open(blocker / "checkin")
    message = one_line(caught)
    assert "which is a file" in message and "--data-dir" in message
    assert blocker.read_text() == "x"


def test_a_data_dir_that_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "journal"
    target.write_text("x")
    with pytest.raises(StorageError, match="is a file, not a folder"):
        Journal.open(target)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod 0500; see the mount test")
def test_a_folder_without_write_permission(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        with pytest.raises(StorageError) as caught:
            Journal.open(locked)
        assert "permission denied" in one_line(caught)
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_a_read_only_filesystem_new_journal(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", 1024, read_only=True) as ro:
        with pytest.raises(StorageError) as caught:
            Journal.open(ro)
        assert "read-only" in one_line(caught)
        assert list(ro.iterdir()) == []


def test_a_read_only_filesystem_existing_journal(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "fs", 4096) as fs:
        with Journal.open(fs) as journal:
            sid = journal.begin_session("weekly", ("A", "B"), T0)
            journal.record(sid, Appreciation("A", "B", "kept safe", 0.9, 1.0), T0)
        before = (fs / DB_NAME).read_bytes()
        remount(fs, "ro")
        try:
            with pytest.raises(StorageError) as caught:
                Journal.open(fs)
            one_line(caught)
        finally:
            remount(fs, "rw")
        assert (fs / DB_NAME).read_bytes() == before
        with Journal.open(fs) as journal:
            assert [a.text for a in journal.appreciations()] == ["kept safe"]


def fill_up(folder: Path) -> None:
    with contextlib.suppress(OSError), open(folder / "filler", "wb") as handle:
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()


def test_a_full_disk_is_reported_at_open(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "full", 2048) as fs:
        fill_up(fs)
        with pytest.raises(StorageError) as caught:
            Journal.open(fs / "checkin")
        assert "full" in one_line(caught)
        assert not (fs / "checkin").exists()


def test_a_disk_that_fills_during_a_session(tmp_path: Path) -> None:
    """Earlier items survive; the ritual that did not fit is absent with its checkpoints."""
    with tmpfs(tmp_path / "fs", 2048) as fs:
        journal = Journal.open(fs)
        sid = journal.begin_session("weekly", ("A", "B"), T0)
        journal.record(sid, Appreciation("A", "B", "saved before the disk filled", 0.9, 1.0), T0)
        fill_up(fs)
        with pytest.raises(StorageError, match="disk is full"):
            for n in range(2000):  # the WAL has some slack; keep going until it is gone
                journal.record(sid, Ritual("A", f"ritual {n} " + "x" * 2000, 2.0), T0)
        saved_rituals = len(journal.latest_rituals())
        (fs / "filler").unlink()
        journal.close()
        with Journal.open(fs) as reopened:
            assert [a.text for a in reopened.appreciations()] == ["saved before the disk filled"]
            assert len(reopened.latest_rituals()) == saved_rituals
            checkpoints = reopened.dump()["review_checkpoints"]
            assert {c["agreed_session_id"] for c in checkpoints} <= {sid}
        with contextlib.closing(sqlite3.connect(fs / DB_NAME)) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_sqlite_full_error_rolls_back_the_whole_item(journal: Journal) -> None:
    """Where mounting is impossible this still shows SQLITE_FULL → StorageError, all or nothing.

    max_page_count is set on the journal's own connection (private on purpose: no public
    API should let anyone cap the journal).
    """
    sid = journal.begin_session("weekly", ("A", "B"), T0)
    journal.record(sid, Appreciation("A", "B", "first", 0.9, 1.0), T0)
    pages = journal._db.execute("PRAGMA page_count").fetchone()[0]
    journal._db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StorageError, match="disk is full"):
        journal.record(sid, Ritual("A", "y" * 20000, 2.0), T0)
    assert journal.latest_rituals() == []
    assert journal.dump()["review_checkpoints"] == []
    assert [a.text for a in journal.appreciations()] == ["first"]
