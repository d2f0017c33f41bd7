"""The journal's connection: opening one SQLite file, and the plumbing every part shares.

`JournalConnection` is the base of `Journal` (assistant/journal/store.py): it opens the
file, holds the one connection and the lock around it, and gives the other parts three
ways to touch it: `_reading` (a damaged page found while reading becomes one line),
`_write` (one statement, committed on return) and `_transaction` (several that land
together or not at all).

Every record is committed the moment it arrives (WAL, synchronous=FULL), so a crash, a
kill or a power cut loses at most the item being confirmed, never an earlier one.
`open` proves the folder and file can be written before a check-in begins, and any
failure becomes a one-line StorageError.

Every way in checks the file first (SQLite's quick_check: cheap, and it finds a damaged
page before a check-in starts, not at its first turn); a damaged journal, found then or
later, is one line naming the file and the command that restores a backup
(assistant/journal/backup.py). `open_read_only` is for the commands that only read: it
opens with SQLite's mode=ro, so it never creates, migrates or rewrites a journal (a
0-byte journal stays 0 bytes) and reads one on a read-only disk.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from assistant.errors import JournalDamaged, StorageError
from assistant.invocation import checkin_command
from assistant.journal import backup
from assistant.journal.paths import (
    DB_NAME,
    check_is_folder,
    ensure_private_dir,
    resolve_data_dir,
)
from assistant.journal.schema import CURRENT_VERSION, current_version, migrate

J = TypeVar("J", bound="JournalConnection")  # what opening makes: the class it is called on


def to_utc_text(at: datetime) -> str:
    """Store wall time as UTC ISO 8601 (a naive datetime is taken as local time)."""
    return at.astimezone(timezone.utc).isoformat()


def from_utc_text(text: str) -> datetime:
    return datetime.fromisoformat(text)


def local_day(at: datetime) -> date:
    """The calendar day the couple lived `at` on."""
    return at.astimezone().date()


def describe_sqlite_error(err: sqlite3.Error) -> str:
    """A short reason a person understands, from SQLite's message."""
    text = str(err)
    if is_damage(err):
        return f"the file is damaged: {text}"
    if "full" in text:
        return "the disk is full"
    if "readonly" in text or "read-only" in text:
        return "the file or folder is read-only"
    if "not a database" in text:
        return "the file is not a checkin journal"
    if "unable to open" in text:
        return "the file cannot be opened"
    return text


def is_damage(err: BaseException) -> bool:
    """Whether SQLite says the file itself is broken (not busy, full or read-only)."""
    name = getattr(err, "sqlite_errorname", "")
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return True
    text = str(err)
    return "malformed" in text or "not a database" in text or "could not decode" in \
        text.lower()


def _text(raw: bytes) -> str:
    """A stored text as Python reads it: a damaged byte shows as an escape, never fails."""
    return raw.decode("utf-8", "backslashreplace")


def folder_args(data_dir: Path | str | None) -> tuple[str, ...]:
    """The --data-dir words a hint repeats, when the folder was given on the command line."""
    return ("--data-dir", str(data_dir)) if data_dir else ()


class JournalConnection:
    """The open journal file. Safe to share between threads: the parts of `Journal` touch
    `_db` only inside `_reading`, `_write` or `_transaction`, or holding `_lock`."""

    def __init__(self, db: sqlite3.Connection, path: Path, folder_args: tuple[str, ...] = (),
                 read_only: bool = False) -> None:
        self._db = db
        self.path = path
        self.folder_args = folder_args  # --data-dir DIR, for the commands hints name
        self.read_only = read_only
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls: type[J], data_dir: Path | str | None = None) -> J:
        """Open (or create) the journal and prove it can be written; StorageError if not."""
        folder = resolve_data_dir(data_dir)
        ensure_private_dir(folder)
        path = folder / DB_NAME
        created = _create_private_file(path)
        if not created and _is_empty(path) and backup.list_backups(folder):
            raise JournalDamaged(
                f"The journal {path} is empty, but backups of it exist; restore the newest "
                f"with: {checkin_command('journal', 'restore', *folder_args(data_dir))}")
        try:
            return cls._connect(path, folder_args(data_dir))
        except StorageError:
            if created:
                _remove_database_files(path)
            raise

    @classmethod
    def open_existing(cls: type[J], data_dir: Path | str | None = None) -> J | None:
        """Open the journal for writing if one exists (None if there is none yet): for a
        command that changes what is there, never one that starts a journal."""
        folder = resolve_data_dir(data_dir)
        check_is_folder(folder)
        if not (folder / DB_NAME).exists():
            return None
        return cls.open(data_dir)

    @classmethod
    def open_read_only(cls: type[J], data_dir: Path | str | None = None) -> J | None:
        """The journal as it is, for commands that only read; None when there is none (or it
        is an empty file). Nothing on disk is created or changed, and a journal from an
        older checkin is read through a migrated copy in memory."""
        folder = resolve_data_dir(data_dir)
        check_is_folder(folder)
        path = folder / DB_NAME
        if not path.exists():
            return None
        if not path.is_file():
            raise StorageError(f"The journal {path} is not a file; move it away and try again.")
        if _is_empty(path):
            return None
        given = folder_args(data_dir)
        db: sqlite3.Connection | None = None
        try:
            db = _connect_read_only(path)
            _check_sound(db, path, given)
            found = _check_version(db, path)
            if found < CURRENT_VERSION:  # read it as this checkin would, without writing
                memory = sqlite3.connect(":memory:", isolation_level=None,
                                         check_same_thread=False)
                db.backup(memory)
                db.close()
                db = memory
                migrate(db)
            db.text_factory = _text
        except sqlite3.Error as err:
            if db is not None:
                db.close()
            raise StorageError(_cannot_read(path, err, given)) from err
        except BaseException:
            if db is not None:
                db.close()
            raise
        return cls(db, path, given, read_only=True)

    @classmethod
    def _connect(cls: type[J], path: Path, given: tuple[str, ...] = ()) -> J:
        hint = "choose another folder with --data-dir or CHECKIN_HOME"
        db: sqlite3.Connection | None = None
        try:
            db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
            _check_sound(db, path, given)
            _check_version(db, path)
            db.text_factory = _text
            mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise sqlite3.OperationalError("cannot switch to WAL (read-only?)")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            # what is deleted is overwritten, not left in free pages: `voices forget` relies
            # on it for the voice profiles (biometric data)
            db.execute("PRAGMA secure_delete=ON")
            migrate(db)
            _prove_writable(db)
        except sqlite3.Error as err:
            if db is not None:
                db.close()
            if is_damage(err):
                raise JournalDamaged(damaged_message(path, str(err), given)) from err
            raise StorageError(
                f"Cannot write the journal {path} ({describe_sqlite_error(err)}); {hint}."
            ) from err
        except BaseException:
            if db is not None:
                db.close()
            raise
        return cls(db, path, given)

    def close(self) -> None:
        """Checkpoint the WAL into the main file (a writer) and close."""
        with self._lock:
            if not self.read_only:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.close()

    def back_up(self, at: datetime) -> Path | None:
        """Copy the journal into backups/ when it is sound (a damaged one must not push the
        good copies out); the copy's path, or None when it was not made."""
        with self._lock:
            if self._db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return None
            return backup.back_up(self._db, self.path.parent, at)

    def __enter__(self: J) -> J:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._reading():
            return current_version(self._db)

    # ---------------------------------------------------------------- plumbing

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """The connection to oneself (one lock), and a damaged page found while reading made
        the same one line as at open, naming the file and the way back."""
        with self._lock:
            try:
                yield
            except sqlite3.Error as err:
                raise StorageError(_cannot_read(self.path, err, self.folder_args)) from err

    def _write(self, sql: str, params: tuple[Any, ...]) -> sqlite3.Cursor:
        """One statement, committed on return (autocommit mode)."""
        try:
            with self._lock:
                return self._db.execute(sql, params)
        except sqlite3.Error as err:
            raise self._save_failed(err) from err

    def _save_failed(self, err: sqlite3.Error) -> StorageError:
        if is_damage(err):
            return JournalDamaged(damaged_message(self.path, str(err), self.folder_args))
        return StorageError(
            f"Could not save to the journal {self.path} ({describe_sqlite_error(err)}).")

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """Several statements that land together or not at all."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    if self._db.in_transaction:  # SQLite may have rolled back already
                        self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.Error as err:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise self._save_failed(err) from err


def damaged_message(path: Path, reason: str, given: tuple[str, ...] = ()) -> str:
    """One line: which file is damaged, and the command that brings back a good copy."""
    if backup.list_backups(path.parent):
        way = f"restore the last good copy with: {checkin_command('journal', 'restore', *given)}"
    else:
        way = ("there is no backup of it yet: move it away to start a new journal, and keep it "
               "(a recovery tool may read some of it)")
    what = "is not a checkin journal, or is damaged" if "not a database" in reason \
        else "is damaged"
    return f"The journal {path} {what} ({reason}); {way}"


def _cannot_read(path: Path, err: sqlite3.Error, given: tuple[str, ...]) -> str:
    if is_damage(err):
        return damaged_message(path, str(err), given)
    return f"Cannot read the journal {path} ({describe_sqlite_error(err)})."


def _check_sound(db: sqlite3.Connection, path: Path, given: tuple[str, ...]) -> None:
    """SQLite's quick_check (the pages and their order, not every index entry): a few
    milliseconds on a journal of years, and a damaged page found before anything starts."""
    rows = db.execute("PRAGMA quick_check").fetchall()
    if [r[0] for r in rows] != ["ok"]:
        raise JournalDamaged(damaged_message(path, str(rows[0][0]), given))


def _check_version(db: sqlite3.Connection, path: Path) -> int:
    found = current_version(db)
    if found > CURRENT_VERSION:
        raise StorageError(
            f"The journal {path} was written by a newer checkin (schema {found}); "
            "update checkin to read it."
        )
    return found


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """mode=ro; on a read-only disk, where SQLite cannot make the WAL's shared-memory
    file, the file is read as immutable (nothing can be writing it there)."""
    db = backup.connect_read_only(path)
    try:
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        db.close()
        if os.access(path.parent, os.W_OK):
            raise
        return sqlite3.connect(f"{backup.file_uri(path)}?mode=ro&immutable=1", uri=True,
                               isolation_level=None, check_same_thread=False)
    return db


def _is_empty(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except OSError:
        return False


def _create_private_file(path: Path) -> bool:
    """Create the database file with mode 0600 before SQLite sees it; True if it is new."""
    if path.exists():
        if not path.is_file():
            raise StorageError(f"The journal {path} is not a file; move it away and try again.")
        with contextlib.suppress(OSError):
            path.chmod(0o600)
        return False
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    except OSError as err:
        raise StorageError(
            f"Cannot create the journal {path} ({(err.strerror or str(err)).lower()}); "
            "choose another folder with --data-dir or CHECKIN_HOME."
        ) from err
    os.close(fd)
    path.chmod(0o600)
    return True


def _remove_database_files(path: Path) -> None:
    """Leave nothing half-written behind when a new journal could not be set up."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink()


def _prove_writable(db: sqlite3.Connection) -> None:
    """Commit a real (content-neutral) change, so a read-only file or full disk shows now."""
    version = current_version(db)
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute("DELETE FROM schema_version")
        db.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
