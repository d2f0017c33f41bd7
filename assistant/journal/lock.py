"""One check-in per journal at a time: an OS file lock beside the journal.

Two processes writing one check-in would interleave their steps (a step of at most two
items getting four, the end written twice). So `checkin run` (and every other command
that changes the journal: `voices enroll`, `voices forget`, `journal restore`) holds an
exclusive lock on `journal.lock` in the data folder for as long as it runs. The lock is
the operating system's (flock; msvcrt on Windows): it goes when the process goes, however
it goes, so after a kill -9 `checkin run --resume` simply takes it again. The holder
writes its process id into the file, so a second `run` can say which process to look
for. Commands that only read (history, appreciations, export, report, journal check)
take no lock: SQLite's WAL lets them read while a check-in writes.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from assistant.errors import JournalBusy, StorageError

LOCK_NAME = "journal.lock"


class JournalLock:
    """The lock on one data folder's journal, held from `acquire` until `release`."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, folder: Path) -> JournalLock:
        """Take the lock, or raise JournalBusy naming the process that holds it."""
        path = folder / LOCK_NAME
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as err:
            reason = (err.strerror or type(err).__name__).lower()
            raise StorageError(f"Cannot use the journal folder {folder} ({reason}); choose "
                               "another folder with --data-dir or CHECKIN_HOME.") from err
        if not _try_lock(fd):
            holder = _read_holder(fd)
            os.close(fd)
            who = f"process {holder}" if holder else "another process"
            raise JournalBusy(
                f"A check-in is already running on the journal in {folder} ({who}); finish "
                "or stop it there first (history and the other reading commands work "
                "meanwhile).")
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        return cls(path, fd)

    def release(self) -> None:
        """Let the next check-in in (the file stays: removing it would race a newcomer)."""
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
        _unlock(self._fd)
        os.close(self._fd)
        self._fd = None


@contextlib.contextmanager
def holding(folder: Path) -> Iterator[JournalLock]:
    """The journal's lock for the length of a `with` block."""
    lock = JournalLock.acquire(folder)
    try:
        yield lock
    finally:
        lock.release()


def _read_holder(fd: int) -> str:
    """The process id the holder wrote (it may not have written it yet: "")."""
    with contextlib.suppress(OSError, ValueError):
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 32).decode("ascii").strip()
        return str(int(text)) if text else ""
    return ""


if sys.platform == "win32":  # pragma: no cover - Linux and macOS use flock
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
