"""The journal: one SQLite file that keeps what a couple chose to keep.

Every record is committed the moment it arrives (WAL, synchronous=FULL), so a crash, a
kill or a power cut loses at most the item being confirmed, never an earlier one.
`Journal.open` proves the folder and file can be written before a check-in begins, and
any failure becomes a one-line StorageError. Only confirmed items and numbers are stored;
turn transcripts only for a session begun with keep_transcript=True.

Every way in checks the file first (SQLite's quick_check: cheap, and it finds a damaged
page before a check-in starts, not at its first turn); a damaged journal, found then or
later, is one line naming the file and the command that restores a backup
(assistant/journal/backup.py). `Journal.open_read_only` is for the commands that only read:
it opens with SQLite's mode=ro, so it never creates, migrates or rewrites a journal (a
0-byte journal stays 0 bytes) and reads one on a read-only disk.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from assistant.errors import JournalDamaged, StorageError
from assistant.flow.events import (
    ACTIVITY_WITHIN,
    Activity,
    ActivityCheck,
    Adjustment,
    Appreciation,
    Cause,
    HeatRecord,
    Loved,
    Pattern,
    Plan,
    PlannedActivity,
    Record,
    Ritual,
    StepRecord,
    Support,
    TurnRecord,
    VoiceConsent,
)
from assistant.invocation import checkin_command
from assistant.journal import backup, kept, reviews
from assistant.journal.paths import (
    DB_NAME,
    check_is_folder,
    ensure_private_dir,
    resolve_data_dir,
)
from assistant.journal.reviews import REVIEW_GUIDE, Checkpoint, DueReview
from assistant.journal.rows import (
    SavedActivity,
    SavedAppreciation,
    SavedHeat,
    SavedTurn,
    SessionSummary,
    UnfinishedSession,
    VoiceProfile,
)
from assistant.journal.schema import CURRENT_VERSION, current_version, migrate

COMPLETED = "completed"
# The table of each kind of collected item (a resumed check-in counts what it kept).
ITEM_TABLES = {"appreciation": "appreciations", "cause": "causes", "ritual": "rituals",
               "activity": "activities", "support": "support_wishes", "plan": "plans",
               "adjustment": "adjustments", "loved": "loved", "pattern": "patterns"}


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


class Journal:
    """The open journal. Safe to share between threads (one lock around the connection)."""

    def __init__(self, db: sqlite3.Connection, path: Path, folder_args: tuple[str, ...] = (),
                 read_only: bool = False) -> None:
        self._db = db
        self.path = path
        self.folder_args = folder_args  # --data-dir DIR, for the commands hints name
        self.read_only = read_only
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, data_dir: Path | str | None = None) -> Journal:
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
    def open_existing(cls, data_dir: Path | str | None = None) -> Journal | None:
        """Open the journal for writing if one exists (None if there is none yet): for a
        command that changes what is there, never one that starts a journal."""
        folder = resolve_data_dir(data_dir)
        check_is_folder(folder)
        if not (folder / DB_NAME).exists():
            return None
        return cls.open(data_dir)

    @classmethod
    def open_read_only(cls, data_dir: Path | str | None = None) -> Journal | None:
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
    def _connect(cls, path: Path, given: tuple[str, ...] = ()) -> Journal:
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

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._reading():
            return current_version(self._db)

    # ---------------------------------------------------------------- writing

    def begin_session(
        self,
        guide: str,
        partners: tuple[str, str],
        started_at: datetime,
        keep_transcript: bool = False,
        typed: bool = False,
        guide_file: str | None = None,
    ) -> int:
        """Start a session row now, so a crash later still leaves a resumable session
        (`guide_file`: the file of a guide that is not shipped, read again on resume)."""
        a, b = partners
        cur = self._write(
            """INSERT INTO sessions (guide, partner_a, partner_b, started_at, keep_transcript,
               typed, guide_file) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (guide, a, b, to_utc_text(started_at), int(keep_transcript), int(typed),
             guide_file),
        )
        return int(cur.lastrowid or 0)

    def mark_typed(self, session_id: int) -> None:
        """A check-in resumed typed was (at least partly) typed: its speech is not measured."""
        self._write("UPDATE sessions SET typed = 1 WHERE id = ?", (session_id,))

    def record(self, session_id: int, record: Record, at: datetime) -> None:
        """Commit one confirmed record at once. `at` is wall time; `record.at` is the clock."""
        when = to_utc_text(at)
        if isinstance(record, Appreciation):
            self._write(
                """INSERT INTO appreciations
                   (session_id, from_partner, to_partner, text, confidence, clock, at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (
                    session_id,
                    record.from_partner,
                    record.to_partner,
                    record.text,
                    record.confidence,
                    record.at,
                    when,
                ),
            )
        elif isinstance(record, Cause):
            self._write(
                "INSERT INTO causes (session_id, named_by, text, clock, at) VALUES (?, ?, ?, ?, ?)",
                (session_id, record.named_by, record.text, record.at, when),
            )
        elif isinstance(record, Ritual):
            self._record_ritual(session_id, record, at)
        elif isinstance(record, Activity):
            by = record.by or local_day(at) + ACTIVITY_WITHIN
            self._write(
                """INSERT INTO activities
                   (session_id, proposed_by, text, agreed_on, by_date, clock, at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (session_id, record.proposed_by, record.text, local_day(at).isoformat(),
                 by.isoformat(), record.at, when),
            )
        elif isinstance(record, ActivityCheck):
            self._write(
                "UPDATE activities SET happened = ?, checked_session_id = ? WHERE id = ?",
                (int(record.happened), session_id, record.activity_id),
            )
        elif isinstance(record, Support):
            self._write(
                """INSERT INTO support_wishes (session_id, partner, text, clock, at)
                   VALUES (?, ?, ?, ?, ?)""",
                (session_id, record.partner, record.text, record.at, when),
            )
        elif isinstance(record, Plan):
            self._write(
                """INSERT INTO plans (session_id, proposed_by, text, agreed_on, clock, at)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                (session_id, record.proposed_by, record.text, local_day(at).isoformat(),
                 record.at, when),
            )
        elif isinstance(record, Adjustment):
            self._write(
                """INSERT INTO adjustments (session_id, proposed_by, text, clock, at)
                   VALUES (?, ?, ?, ?, ?)""",
                (session_id, record.proposed_by, record.text, record.at, when),
            )
        elif isinstance(record, TurnRecord):
            self._write(
                """INSERT INTO turns
                   (session_id, step, partner, allotted, used, speech, ended_by, at,
                    listener_speech, interruptions, interrupted_seconds, statements,
                    i_statements, blame_phrases)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    session_id,
                    record.step,
                    record.partner,
                    record.allotted,
                    record.used,
                    record.speech,
                    record.ended_by,
                    when,
                    record.listener_speech,
                    record.interruptions,
                    record.interrupted_seconds,
                    record.statements,
                    record.i_statements,
                    record.blame,
                ),
            )
        elif isinstance(record, (Loved, Pattern)):
            self._write(*kept.insert(session_id, record, when))
        elif isinstance(record, VoiceConsent):
            self._write(
                "INSERT INTO voice_consents (session_id, partner, given, at) VALUES (?, ?, ?, ?)",
                (session_id, record.partner, int(record.given), when),
            )
        elif isinstance(record, HeatRecord):
            self._write(
                """INSERT INTO heat_events
                   (session_id, kind, step, level_db, baseline_db, clock, at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (
                    session_id,
                    record.kind,
                    record.step,
                    record.level_db,
                    record.baseline_db,
                    record.at,
                    when,
                ),
            )
        elif isinstance(record, StepRecord):
            self._write(
                """INSERT INTO steps (session_id, step, step_index, clock, at)
                   VALUES (?, ?, ?, ?, ?)""",
                (session_id, record.step, record.index, record.at, when),
            )
        else:
            raise TypeError(f"the journal does not store {type(record).__name__}")

    def _record_ritual(self, session_id: int, ritual: Ritual, at: datetime) -> None:
        """A ritual plus, for a new agreement, its 2/4/8-week checkpoints, in one transaction.

        Rituals agreed in a review session adjust the current list and keep its schedule;
        rituals agreed anywhere else start a new schedule and retire the old one.
        """
        agreed_on = local_day(at)
        with self._transaction() as db:
            db.execute(
                """INSERT INTO rituals (session_id, proposed_by, text, agreed_on, clock, at)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                (
                    session_id,
                    ritual.proposed_by,
                    ritual.text,
                    agreed_on.isoformat(),
                    ritual.at,
                    to_utc_text(at),
                ),
            )
            if self._guide_of(db, session_id) == REVIEW_GUIDE:
                return
            for weeks, due_on in reviews.checkpoint_dates(agreed_on):
                db.execute(
                    """INSERT OR IGNORE INTO review_checkpoints (agreed_session_id, weeks, due_on)
                       VALUES (?, ?, ?)""",
                    (session_id, weeks, due_on.isoformat()),
                )
            db.execute(
                """UPDATE review_checkpoints SET superseded_by = ?
                   WHERE agreed_session_id != ? AND done_on IS NULL AND superseded_by IS NULL""",
                (session_id, session_id),
            )

    def transcript(self, session_id: int, partner: str, text: str, at: datetime) -> None:
        """Keep a turn transcript, but only for a session begun with keep_transcript=True."""
        with self._reading():
            row = self._db.execute(
                "SELECT keep_transcript FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
        if not row or not row[0]:
            return
        self._write(
            "INSERT INTO transcripts (session_id, partner, text, at) VALUES (?, ?, ?, ?)",
            (session_id, partner, text, to_utc_text(at)),
        )

    def end_session(self, session_id: int, reason: str, ended_at: datetime) -> None:
        """Close the session; a completed review settles the review checkpoints it covers."""
        with self._transaction() as db:
            db.execute(
                "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ?",
                (to_utc_text(ended_at), reason, session_id),
            )
            if reason != COMPLETED or self._guide_of(db, session_id) != REVIEW_GUIDE:
                return
            review_day = local_day(ended_at)
            for checkpoint_id, checkpoint in self._live_checkpoints(db):
                if reviews.counts_as_done(checkpoint, review_day):
                    db.execute(
                        """UPDATE review_checkpoints SET done_session_id = ?, done_on = ?
                           WHERE id = ?""",
                        (session_id, review_day.isoformat(), checkpoint_id),
                    )

    # ----------------------------------------------------------------- voices

    def voice_consent(self, partners: tuple[str, str]) -> dict[str, bool]:
        """Each partner's latest answer to learning their voice (absent: never asked)."""
        with self._reading():
            rows = self._db.execute(
                "SELECT partner, given FROM voice_consents ORDER BY id").fetchall()
        wanted = {p.casefold(): p for p in partners}
        return {wanted[r[0].casefold()]: bool(r[1]) for r in rows if r[0].casefold() in wanted}

    def answer_voice_consent(self, partner: str, given: bool, at: datetime) -> None:
        """A partner's answer given outside a check-in (`checkin voices enroll`)."""
        self._write(
            "INSERT INTO voice_consents (session_id, partner, given, at) VALUES (NULL, ?, ?, ?)",
            (partner, int(given), to_utc_text(at)),
        )

    def voices_agreed(self, partners: tuple[str, str]) -> bool:
        """Both partners said yes (and neither has taken it back with `voices forget`)."""
        answers = self.voice_consent(partners)
        return all(answers.get(p) is True for p in partners)

    def save_voice_profile(self, partners: tuple[str, str], partner: str, method: str,
                           version: int, data: bytes, at: datetime) -> None:
        """Keep one partner's voice profile (replacing their earlier one for `method`),
        only when both partners agreed: the journal itself refuses otherwise."""
        if partner not in partners:
            raise ValueError(f"{partner!r} is not one of {partners}")
        if not self.voices_agreed(partners):
            raise StorageError("Voice profiles are kept only after both of you said yes; "
                               "nothing was saved.")
        self._write(
            """INSERT INTO voice_profiles (partner, method, version, data, created_at)
               VALUES (?, ?, ?, ?, ?) ON CONFLICT (partner, method) DO UPDATE SET
               version = excluded.version, data = excluded.data,
               created_at = excluded.created_at""",
            (partner, method, version, data, to_utc_text(at)),
        )

    def voice_profiles(self) -> list[VoiceProfile]:
        with self._reading():
            rows = self._db.execute(
                """SELECT partner, method, version, data, created_at FROM voice_profiles
                   ORDER BY id""").fetchall()
        return [VoiceProfile(r[0], r[1], r[2], bytes(r[3]), from_utc_text(r[4])) for r in rows]

    def forget_voices(self) -> int:
        """Delete every voice profile and every answer about them; return how many profiles.

        secure_delete overwrites the freed pages, the checkpoint empties the write-ahead
        log (which held the profiles as written) and VACUUM rebuilds the file, so the
        numbers are gone from the disk, not only from the tables. The couple is asked
        again before any voice is learned.
        """
        with self._transaction() as db:
            count = int(db.execute("SELECT COUNT(*) FROM voice_profiles").fetchone()[0])
            db.execute("DELETE FROM voice_profiles")
            db.execute("DELETE FROM voice_consents")
        try:
            with self._lock:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self._db.execute("VACUUM")
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as err:
            raise StorageError(
                f"The voice profiles were deleted, but the journal {self.path} could not be "
                f"compacted ({describe_sqlite_error(err)}); run the command again."
            ) from err
        return count

    # ---------------------------------------------------------------- reviews

    def rituals_due_for_review(self, today: date) -> list[DueReview]:
        """Reviews due on `today` and not yet done, each with the rituals to read back."""
        with self._reading():
            live = [c for _, c in self._live_checkpoints(self._db)]
        by_agreement: dict[int, list[Checkpoint]] = {}
        for checkpoint in live:
            by_agreement.setdefault(checkpoint.agreed_session_id, []).append(checkpoint)
        rituals = tuple(self.latest_rituals())
        due: list[DueReview] = []
        for checkpoints in by_agreement.values():
            latest = reviews.most_recent_due(checkpoints, today)
            if latest is not None:
                due.append(
                    DueReview(
                        agreed_session_id=latest.agreed_session_id,
                        agreed_on=latest.agreed_on,
                        weeks=latest.weeks,
                        due_on=latest.due_on,
                        rituals=rituals,
                    )
                )
        return due

    def next_review(self, today: date) -> date | None:
        """The review date to announce at the end of a review held `today`: the first open
        checkpoint that this review does not already settle; None when the schedule is done."""
        settled_until = today + timedelta(days=reviews.EARLY_REVIEW_DAYS)
        upcoming = [
            c.due_on for c in self.review_checkpoints() if not c.done and c.due_on > settled_until
        ]
        return min(upcoming, default=None)

    def review_checkpoints(self) -> list[Checkpoint]:
        """Every checkpoint of the current ritual schedule, done or not, by date."""
        with self._reading():
            return [c for _, c in self._live_checkpoints(self._db)]

    def latest_rituals(self) -> list[str]:
        """The rituals of the most recent session that agreed any (what a review reads back)."""
        with self._reading():
            rows = self._db.execute(
                """SELECT text FROM rituals
                   WHERE session_id = (SELECT MAX(session_id) FROM rituals) ORDER BY id"""
            ).fetchall()
        return [r[0] for r in rows]

    def activity_to_follow_up(self) -> PlannedActivity | None:
        """The newest shared activity, while nobody has been asked about it yet (the review
        asks). An older one a newer plan replaced is not asked about."""
        with self._reading():
            row = self._db.execute(
                """SELECT id, text, by_date FROM activities
                   WHERE id = (SELECT MAX(id) FROM activities) AND happened IS NULL"""
            ).fetchone()
        return PlannedActivity(row[0], row[1], date.fromisoformat(row[2])) if row else None

    def plans_to_review(self) -> list[str]:
        """The plans of the newest session that agreed any, then every adjustment agreed
        since: what a review reads back."""
        with self._reading():
            plans = self._db.execute(
                """SELECT text FROM plans
                   WHERE session_id = (SELECT MAX(session_id) FROM plans) ORDER BY id"""
            ).fetchall()
            adjustments = self._db.execute(
                """SELECT text FROM adjustments
                   WHERE session_id >= COALESCE((SELECT MAX(session_id) FROM plans), 0)
                   ORDER BY id"""
            ).fetchall()
        return [r[0] for r in (*plans, *adjustments)]

    def completed_checkins(self) -> int:
        """How many check-ins ran to their end (the closing's tip turns with it)."""
        with self._reading():
            row = self._db.execute(
                "SELECT COUNT(*) FROM sessions WHERE end_reason = ?", (COMPLETED,)
            ).fetchone()
        return int(row[0])

    def items_kept(self, session_id: int, item: str) -> int:
        """How many items of a kind (`ITEM_TABLES`) this session kept."""
        with self._reading():
            row = self._db.execute(
                f"SELECT COUNT(*) FROM {ITEM_TABLES[item]} WHERE session_id = ?", (session_id,)
            ).fetchone()
        return int(row[0])

    def loved(self, partners: tuple[str, str]) -> dict[str, str]:
        """How each partner feels loved: their newest answer kept (absent: none yet)."""
        with self._reading():
            return kept.loved(self._db, partners)

    def support_wishes(self) -> list[tuple[str, str]]:
        """(partner, what would help them feel supported), newest first."""
        with self._reading():
            rows = self._db.execute(
                "SELECT partner, text FROM support_wishes ORDER BY id DESC"
            ).fetchall()
        return [(r[0], r[1]) for r in rows]

    @staticmethod
    def _live_checkpoints(db: sqlite3.Connection) -> list[tuple[int, Checkpoint]]:
        rows = db.execute(
            """SELECT c.id, c.agreed_session_id, MIN(r.agreed_on), c.weeks, c.due_on, c.done_on
               FROM review_checkpoints c JOIN rituals r ON r.session_id = c.agreed_session_id
               WHERE c.superseded_by IS NULL
               GROUP BY c.id ORDER BY c.due_on, c.id"""
        ).fetchall()
        return [
            (
                row[0],
                Checkpoint(
                    agreed_session_id=row[1],
                    agreed_on=date.fromisoformat(row[2]),
                    weeks=row[3],
                    due_on=date.fromisoformat(row[4]),
                    done_on=date.fromisoformat(row[5]) if row[5] else None,
                ),
            )
            for row in rows
        ]

    # ---------------------------------------------------------------- reading

    def unfinished_session(self) -> UnfinishedSession | None:
        """The newest session with no end, and the last step it reached."""
        with self._reading():
            row = self._db.execute(
                """SELECT id, guide, partner_a, partner_b, started_at, guide_file FROM sessions
                   WHERE ended_at IS NULL ORDER BY id DESC LIMIT 1"""
            ).fetchone()
            if row is None:
                return None
            step = self._db.execute(
                "SELECT step, step_index FROM steps WHERE session_id = ? ORDER BY id DESC LIMIT 1",
                (row[0],),
            ).fetchone()
        return UnfinishedSession(
            id=row[0],
            guide=row[1],
            partners=(row[2], row[3]),
            started_at=from_utc_text(row[4]),
            last_step=step[0] if step else None,
            last_step_index=step[1] if step else None,
            guide_file=row[5],
        )

    def appreciations(
        self, from_partner: str | None = None, since: date | None = None
    ) -> list[SavedAppreciation]:
        """Saved appreciations, newest first; optionally by one partner and from a day on."""
        with self._reading():
            rows = self._db.execute(
                """SELECT a.id, a.session_id, a.from_partner, a.to_partner, a.text,
                   a.confidence, a.at, s.typed FROM appreciations a
                   LEFT JOIN sessions s ON s.id = a.session_id
                   ORDER BY a.at DESC, a.id DESC"""
            ).fetchall()
        found = [
            SavedAppreciation(
                id=r[0],
                session_id=r[1],
                from_partner=r[2],
                to_partner=r[3],
                text=r[4],
                confidence=r[5],
                at=from_utc_text(r[6]),
                typed=bool(r[7]),
            )
            for r in rows
        ]
        if from_partner is not None:
            wanted = from_partner.strip().casefold()
            found = [a for a in found if a.from_partner.casefold() == wanted]
        if since is not None:
            found = [a for a in found if local_day(a.at) >= since]
        return found

    def appreciation(self, appreciation_id: int) -> SavedAppreciation | None:
        return next((a for a in self.appreciations() if a.id == appreciation_id), None)

    def heat_events(self) -> list[SavedHeat]:
        """Every heat event, oldest first."""
        with self._reading():
            rows = self._db.execute(
                """SELECT session_id, kind, step, level_db, baseline_db, at
                   FROM heat_events ORDER BY at, id"""
            ).fetchall()
        return [
            SavedHeat(
                session_id=r[0],
                kind=r[1],
                step=r[2],
                level_db=r[3],
                baseline_db=r[4],
                at=from_utc_text(r[5]),
            )
            for r in rows
        ]

    def turns(self, session_id: int) -> list[SavedTurn]:
        with self._reading():
            rows = self._db.execute(
                """SELECT step, partner, allotted, used, speech, ended_by, listener_speech,
                   interruptions, interrupted_seconds, statements, i_statements,
                   blame_phrases FROM turns WHERE session_id = ? ORDER BY id""",
                (session_id,),
            ).fetchall()
        return [SavedTurn(*r) for r in rows]

    def sessions(self) -> list[SessionSummary]:
        """Every session, oldest first, with its numbers and confirmed items."""
        with self._reading():
            db = self._db
            rows = db.execute(
                """SELECT id, guide, partner_a, partner_b, started_at, ended_at, end_reason,
                   typed FROM sessions ORDER BY started_at, id"""
            ).fetchall()
            turns = db.execute(
                """SELECT session_id, partner, SUM(speech), SUM(allotted), SUM(used),
                   SUM(listener_speech), SUM(interruptions), SUM(interrupted_seconds)
                   FROM turns GROUP BY session_id, partner"""
            ).fetchall()
            heat = db.execute(
                "SELECT session_id, kind, COUNT(*) FROM heat_events GROUP BY session_id, kind"
            ).fetchall()
            rituals = db.execute("SELECT session_id, text FROM rituals ORDER BY id").fetchall()
            causes = db.execute("SELECT session_id, text FROM causes ORDER BY id").fetchall()
            apprs = db.execute(
                "SELECT session_id, COUNT(*) FROM appreciations GROUP BY session_id"
            ).fetchall()
            due = db.execute(
                """SELECT agreed_session_id, due_on FROM review_checkpoints
                   WHERE superseded_by IS NULL ORDER BY due_on"""
            ).fetchall()
            activities = db.execute(
                "SELECT session_id, text, by_date, happened FROM activities ORDER BY id"
            ).fetchall()
            plans = db.execute("SELECT session_id, text FROM plans ORDER BY id").fetchall()
            adjustments = db.execute(
                "SELECT session_id, text FROM adjustments ORDER BY id").fetchall()
            wishes = db.execute(
                "SELECT session_id, COUNT(*) FROM support_wishes GROUP BY session_id"
            ).fetchall()
            words = kept.counts(db)
        summaries = []
        for sid, guide, a, b, started, ended, reason, typed in rows:
            speech = {a: 0.0, b: 0.0}
            allotted = {a: 0.0, b: 0.0}
            used = {a: 0.0, b: 0.0}
            interjected = {a: 0.0, b: 0.0}
            interruptions = {a: 0, b: 0}
            interrupted = {a: 0.0, b: 0.0}
            for t_sid, partner, spoken, given, took, heard, times, over in turns:
                if t_sid != sid:
                    continue
                listener = b if partner == a else a  # what they said is theirs
                speech[partner] = speech.get(partner, 0.0) + float(spoken or 0.0)
                speech[listener] += float(heard or 0.0)
                interjected[listener] += float(heard or 0.0)
                allotted[partner] = float(given or 0.0)
                used[partner] = float(took or 0.0)
                interruptions[partner] = int(times or 0)
                interrupted[partner] = float(over or 0.0)
            counts = {kind: n for h_sid, kind, n in heat if h_sid == sid}
            summaries.append(
                SessionSummary(
                    id=sid,
                    guide=guide,
                    partners=(a, b),
                    started_at=from_utc_text(started),
                    ended_at=from_utc_text(ended) if ended else None,
                    end_reason=reason,
                    speech=speech,
                    allotted=allotted,
                    used=used,
                    typed=bool(typed),
                    voice_raises=counts.get("voice", 0),
                    pauses=counts.get("pause", 0),
                    rituals=tuple(text for r_sid, text in rituals if r_sid == sid),
                    causes=tuple(text for c_sid, text in causes if c_sid == sid),
                    appreciations=next((n for a_sid, n in apprs if a_sid == sid), 0),
                    reviews_due=tuple(date.fromisoformat(d) for d_sid, d in due if d_sid == sid),
                    activities=tuple(
                        SavedActivity(text, date.fromisoformat(by),
                                      None if happened is None else bool(happened))
                        for a_sid, text, by, happened in activities if a_sid == sid),
                    plans=tuple(text for p_sid, text in plans if p_sid == sid),
                    adjustments=tuple(text for j_sid, text in adjustments if j_sid == sid),
                    support_wishes=next((n for w_sid, n in wishes if w_sid == sid), 0),
                    interjected=interjected,
                    interruptions=interruptions,
                    interrupted_seconds=interrupted,
                    **_word_counts(words.get(sid, {}), (a, b)),
                )
            )
        return summaries

    def dump(self) -> dict[str, list[dict[str, Any]]]:
        """Every row of every table (for `checkin export --json`), transcripts included only
        when a session kept them, which is the only way they exist."""
        tables = (
            "sessions",
            "steps",
            "turns",
            "heat_events",
            "appreciations",
            "causes",
            "rituals",
            "review_checkpoints",
            "transcripts",
            "activities",
            "support_wishes",
            "plans",
            "adjustments",
            "voice_consents",
            "loved",
            "patterns",
        )
        out: dict[str, list[dict[str, Any]]] = {}
        with self._reading():
            for table in tables:
                cur = self._db.execute(f"SELECT * FROM {table} ORDER BY id")
                names = [d[0] for d in cur.description]
                out[table] = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
            # a profile's numbers are biometric data: the export says one exists, not what
            cur = self._db.execute(
                """SELECT id, partner, method, version, LENGTH(data) AS bytes, created_at
                   FROM voice_profiles ORDER BY id""")
            names = [d[0] for d in cur.description]
            out["voice_profiles"] = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        return out

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

    @staticmethod
    def _guide_of(db: sqlite3.Connection, session_id: int) -> str | None:
        row = db.execute("SELECT guide FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return row[0] if row else None


def _word_counts(counted: dict[str, tuple[int, int, int, int]],
                 partners: tuple[str, str]) -> dict[str, Any]:
    """A session's gentle-words counts and seed items, as SessionSummary fields."""
    extra = counted.get("", (0, 0, 0, 0))
    return {"statements": {p: counted.get(p, (0, 0, 0, 0))[0] for p in partners},
            "i_statements": {p: counted.get(p, (0, 0, 0, 0))[1] for p in partners},
            "loved": extra[2], "patterns": extra[3]}


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
