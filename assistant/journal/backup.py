"""Copies of the journal, and the way back from a damaged one.

A disk can go bad, a sync tool can truncate a file, a power cut can hit the one page
SQLite was writing. So after every check-in that came to its end, the journal is copied
with SQLite's online backup API (a consistent copy even while it is open) into
`backups/` in the data folder, as one self-contained file each (no WAL), mode 0600; the
newest five are kept. A copy is made only of a journal that passes `quick_check`, so
damage never pushes the good copies out.

`checkin journal check` runs SQLite's full `integrity_check` on the journal and on each
copy; `checkin journal restore [BACKUP]` puts the newest good copy (or the one named) in
place. The journal it replaces is never deleted: it is kept beside it, renamed, so
nothing that was in it is lost even if the copy is older.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from assistant.errors import StorageError
from assistant.invocation import checkin_command
from assistant.journal.paths import DB_NAME

BACKUP_FOLDER = "backups"
KEEP = 5
_PREFIX = "journal-"
_SUFFIX = ".sqlite3"


def backups_dir(folder: Path) -> Path:
    return folder / BACKUP_FOLDER


def list_backups(folder: Path) -> list[Path]:
    """The copies in `folder`'s backups/, newest first (their names sort by time)."""
    where = backups_dir(folder)
    try:
        found = [p for p in where.iterdir()
                 if p.name.startswith(_PREFIX) and p.name.endswith(_SUFFIX) and p.is_file()]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.name, reverse=True)


def file_uri(path: Path) -> str:
    """`path` as an SQLite URI (any character in a folder name is safe)."""
    return f"file:{quote(str(path.absolute()))}"


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that can never write to `path` (SQLite's mode=ro)."""
    return sqlite3.connect(f"{file_uri(path)}?mode=ro", uri=True, isolation_level=None,
                           check_same_thread=False)


def back_up(db: sqlite3.Connection, folder: Path, at: datetime) -> Path:
    """Copy the open journal `db` into backups/ (0600), then keep only the newest KEEP."""
    where = backups_dir(folder)
    name = f"{_PREFIX}{at:%Y%m%d-%H%M%S-%f}{_SUFFIX}"
    target = where / name
    part = where / f"{name}.part"
    try:
        where.mkdir(mode=0o700, exist_ok=True)
        os.close(os.open(part, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600))
        with contextlib.closing(sqlite3.connect(part, isolation_level=None)) as copy:
            db.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one file, readable on its own
        os.replace(part, target)
    except (OSError, sqlite3.Error) as err:
        with contextlib.suppress(OSError):
            part.unlink()
        reason = err.strerror if isinstance(err, OSError) else str(err)
        raise StorageError(f"Could not back up the journal into {where} ({reason}); "
                           "everything is still saved in the journal itself.") from err
    for old in list_backups(folder)[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target


def problem_in(path: Path) -> str | None:
    """SQLite's full integrity check of one journal file: None when it is sound."""
    from assistant.journal.schema import CURRENT_VERSION, current_version

    try:
        with contextlib.closing(connect_read_only(path)) as db:
            rows = db.execute("PRAGMA integrity_check").fetchall()
            if [r[0] for r in rows] != ["ok"]:
                return "; ".join(str(r[0]) for r in rows[:3])
            version = current_version(db)
    except (sqlite3.Error, UnicodeDecodeError) as err:
        return str(err)
    if version == 0:
        return "not a checkin journal (no schema_version)"
    if version > CURRENT_VERSION:
        return f"written by a newer checkin (schema {version})"
    return None


@dataclass(frozen=True)
class Contents:
    """What a journal file holds, in words a person checks before trusting it."""

    checkins: int
    appreciations: int
    last: str | None  # the newest check-in's start, ISO 8601 UTC

    def __str__(self) -> str:
        checkins = "1 check-in" if self.checkins == 1 else f"{self.checkins} check-ins"
        apprs = "1 appreciation" if self.appreciations == 1 else \
            f"{self.appreciations} appreciations"
        last = ""
        if self.last:
            with contextlib.suppress(ValueError):
                when = datetime.fromisoformat(self.last).astimezone()
                last = f", the last on {when:%Y-%m-%d %H:%M}"
        return f"{checkins}, {apprs}{last}"


def contents(path: Path) -> Contents:
    with contextlib.closing(connect_read_only(path)) as db:
        checkins, last = db.execute("SELECT COUNT(*), MAX(started_at) FROM sessions").fetchone()
        (apprs,) = db.execute("SELECT COUNT(*) FROM appreciations").fetchone()
    return Contents(int(checkins), int(apprs), last)


@dataclass(frozen=True)
class Restored:
    backup: Path
    contents: Contents
    kept: Path | None  # where the journal that was replaced now is


def restore(folder: Path, chosen: Path | None, at: datetime,
            folder_args: tuple[str, ...] = ()) -> Restored:
    """Put a sound copy in place of the journal (the newest one, or `chosen`), keeping the
    journal it replaces beside it. The caller holds the journal's lock; `folder_args`
    (--data-dir DIR, when one was given) go into the commands a message names."""
    candidates = [chosen] if chosen is not None else list_backups(folder)
    if not candidates:
        raise StorageError(f"There is no backup in {backups_dir(folder)} yet (one is made "
                           "after each check-in that comes to its end).")
    backup = None
    for candidate in candidates:
        wrong = problem_in(candidate) if candidate.is_file() else "no such file"
        if wrong is None:
            backup = candidate
            break
        if chosen is not None:
            raise StorageError(f"The backup {candidate} cannot be used ({wrong}); see the "
                               f"others with: {checkin_command('journal', 'check', *folder_args)}")
    if backup is None:
        raise StorageError(f"None of the {len(candidates)} backups in {backups_dir(folder)} "
                           "can be read; keep the folder as it is and ask for help.")
    journal = folder / DB_NAME
    kept = None
    if journal.exists():
        kept = folder / f"journal-replaced-{at:%Y%m%d-%H%M%S}{_SUFFIX}"
        for suffix in ("", "-wal", "-shm"):  # the log belongs with the file it was written for
            with contextlib.suppress(FileNotFoundError):
                os.replace(f"{journal}{suffix}", f"{kept}{suffix}")
    part = folder / f"{DB_NAME}.restoring"
    os.close(os.open(part, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600))
    try:
        with contextlib.closing(connect_read_only(backup)) as source, \
                contextlib.closing(sqlite3.connect(part, isolation_level=None)) as copy:
            source.backup(copy)
        os.replace(part, journal)
    except (OSError, sqlite3.Error) as err:
        with contextlib.suppress(OSError):
            part.unlink()
        if kept is not None and not journal.exists():  # put back what was there
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.replace(f"{kept}{suffix}", f"{journal}{suffix}")
        raise StorageError(f"Could not restore {backup} into {journal} ({err}); nothing was "
                           "changed.") from err
    return Restored(backup, contents(journal), kept)


def forget_voices_in_backups(folder: Path) -> int:
    """`voices forget` reaches the copies too: every voice profile and consent answer is
    deleted from each backup, whose freed pages are overwritten and file rebuilt."""
    done = 0
    for path in list_backups(folder):
        try:
            with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
                tables = {r[0] for r in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")}
                db.execute("PRAGMA secure_delete=ON")
                for table in ("voice_profiles", "voice_consents"):
                    if table in tables:
                        db.execute(f"DELETE FROM {table}")
                db.execute("VACUUM")
        except sqlite3.Error as err:
            raise StorageError(f"Could not delete the voice profiles from the backup {path} "
                               f"({err}); delete that file yourself.") from err
        done += 1
    return done
