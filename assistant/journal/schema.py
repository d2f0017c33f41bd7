"""The journal's tables, as an ordered list of migrations.

A database records the highest migration it has applied in `schema_version`. Opening a
journal applies the missing ones in order, each inside one transaction, so a crash or a
full disk leaves the previous version intact. Never edit a released migration; add one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from assistant.journal.reviews import EARLY_REVIEW_DAYS, REVIEW_GUIDE, REVIEW_WEEKS


@dataclass(frozen=True)
class Migration:
    """One step from `version - 1` to `version`: SQL statements, then optional data work."""

    version: int
    summary: str
    statements: tuple[str, ...]
    backfill: Callable[[sqlite3.Connection], None] | None = None


# v1: the first release. Times are ISO 8601 in UTC (`at`); `clock` is seconds on the
# session's monotonic clock, kept for ordering within a session.
V1 = Migration(
    version=1,
    summary="sessions, steps, turns, heat events, appreciations, causes, rituals",
    statements=(
        """CREATE TABLE schema_version (version INTEGER NOT NULL)""",
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            guide TEXT NOT NULL,
            partner_a TEXT NOT NULL,
            partner_b TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            end_reason TEXT
        )""",
        """CREATE TABLE steps (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            step TEXT NOT NULL,
            step_index INTEGER NOT NULL,
            clock REAL NOT NULL,
            at TEXT NOT NULL
        )""",
        """CREATE TABLE turns (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            step TEXT NOT NULL,
            partner TEXT NOT NULL,
            allotted REAL NOT NULL,
            used REAL NOT NULL,
            speech REAL NOT NULL,
            ended_by TEXT NOT NULL,
            at TEXT NOT NULL
        )""",
        """CREATE TABLE heat_events (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            kind TEXT NOT NULL CHECK (kind IN ('voice', 'pause')),
            step TEXT NOT NULL,
            level_db REAL,
            baseline_db REAL,
            clock REAL NOT NULL,
            at TEXT NOT NULL
        )""",
        """CREATE TABLE appreciations (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            from_partner TEXT NOT NULL,
            to_partner TEXT NOT NULL,
            text TEXT NOT NULL,
            confidence REAL NOT NULL,
            clock REAL NOT NULL,
            at TEXT NOT NULL
        )""",
        """CREATE TABLE causes (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            named_by TEXT NOT NULL,
            text TEXT NOT NULL,
            clock REAL NOT NULL,
            at TEXT NOT NULL
        )""",
        """CREATE TABLE rituals (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            proposed_by TEXT NOT NULL,
            text TEXT NOT NULL,
            agreed_on TEXT NOT NULL,
            clock REAL NOT NULL,
            at TEXT NOT NULL
        )""",
        "CREATE INDEX appreciations_at ON appreciations(at)",
        "CREATE INDEX turns_session ON turns(session_id)",
        "CREATE INDEX heat_session ON heat_events(session_id)",
    ),
)


def _backfill_checkpoints(db: sqlite3.Connection) -> None:
    """Give rituals agreed before v2 their 2/4/8-week checkpoints (only the newest set is live),
    counting completed review sessions held since as done."""
    rows = db.execute(
        """SELECT r.session_id, MIN(r.agreed_on) FROM rituals r JOIN sessions s
           ON s.id = r.session_id WHERE s.guide != ?
           GROUP BY r.session_id ORDER BY r.session_id""",
        (REVIEW_GUIDE,),
    ).fetchall()
    newest = rows[-1][0] if rows else None
    for session_id, agreed_on in rows:
        for weeks in REVIEW_WEEKS:
            due = date.fromisoformat(agreed_on) + timedelta(weeks=weeks)
            db.execute(
                """INSERT INTO review_checkpoints (agreed_session_id, weeks, due_on, superseded_by)
                   VALUES (?, ?, ?, ?)""",
                (session_id, weeks, due.isoformat(), None if session_id == newest else newest),
            )
    if newest is None:
        return
    agreed_on = date.fromisoformat(rows[-1][1])
    held = db.execute(
        """SELECT id, ended_at FROM sessions WHERE guide = ? AND end_reason = 'completed'
           AND ended_at IS NOT NULL ORDER BY ended_at""",
        (REVIEW_GUIDE,),
    ).fetchall()
    for review_id, ended_at in held:
        review_day = datetime.fromisoformat(ended_at).astimezone().date()
        if review_day < agreed_on:
            continue
        latest_settled = review_day + timedelta(days=EARLY_REVIEW_DAYS)
        db.execute(
            """UPDATE review_checkpoints SET done_session_id = ?, done_on = ?
               WHERE agreed_session_id = ? AND done_on IS NULL AND due_on <= ?""",
            (review_id, review_day.isoformat(), newest, latest_settled.isoformat()),
        )


# v2: reviews need to remember which checkpoint was done, and `--keep-transcript` needs a
# place (off by default, per session).
V2 = Migration(
    version=2,
    summary="review checkpoints; opt-in turn transcripts",
    statements=(
        "ALTER TABLE sessions ADD COLUMN keep_transcript INTEGER NOT NULL DEFAULT 0",
        """CREATE TABLE review_checkpoints (
            id INTEGER PRIMARY KEY,
            agreed_session_id INTEGER NOT NULL REFERENCES sessions(id),
            weeks INTEGER NOT NULL,
            due_on TEXT NOT NULL,
            done_session_id INTEGER REFERENCES sessions(id),
            done_on TEXT,
            superseded_by INTEGER REFERENCES sessions(id),
            UNIQUE (agreed_session_id, weeks)
        )""",
        """CREATE TABLE transcripts (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            partner TEXT NOT NULL,
            text TEXT NOT NULL,
            at TEXT NOT NULL
        )""",
    ),
    backfill=_backfill_checkpoints,
)

# v3: a typed check-in measures no speech; history, export and the report must know which
# check-ins were typed so they show the time taken, never "0:00 of speech". Older
# check-ins were hands-free unless started with --text, which was not recorded: 0.
V3 = Migration(
    version=3,
    summary="typed check-ins marked",
    statements=("ALTER TABLE sessions ADD COLUMN typed INTEGER NOT NULL DEFAULT 0",),
)

# v4: the rest of the seed content. A shared activity agreed by both, planned by a date two
# weeks on, and whether the review after found it happened (NULL: not asked yet); what would
# help each partner feel supported (kept only after "save it"); plans (a small concrete
# change both agreed: the repair guide's) and a review's agreed adjustments.
V4 = Migration(
    version=4,
    summary="shared activities, support wishes, plans, review adjustments",
    statements=(
        """CREATE TABLE activities (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            proposed_by TEXT NOT NULL,
            text TEXT NOT NULL,
            agreed_on TEXT NOT NULL,
            by_date TEXT NOT NULL,
            happened INTEGER CHECK (happened IN (0, 1)),
            checked_session_id INTEGER REFERENCES sessions(id),
            clock REAL NOT NULL,
            at TEXT NOT NULL
        )""",
        """CREATE TABLE support_wishes (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            partner TEXT NOT NULL,
            text TEXT NOT NULL,
            clock REAL NOT NULL,
            at TEXT NOT NULL
        )""",
        """CREATE TABLE plans (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            proposed_by TEXT NOT NULL,
            text TEXT NOT NULL,
            agreed_on TEXT NOT NULL,
            clock REAL NOT NULL,
            at TEXT NOT NULL
        )""",
        """CREATE TABLE adjustments (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            proposed_by TEXT NOT NULL,
            text TEXT NOT NULL,
            clock REAL NOT NULL,
            at TEXT NOT NULL
        )""",
    ),
)

# v5: voices told apart. Per turn, what the listener said (theirs, not the speaker's) and
# how often and how long they talked over the speaker; old turns had no attribution: 0.
# Each partner's answer to learning their voice (asked once), and the voice profiles:
# numbers only, biometric data, written only after both said yes (docs/privacy.md).
V5 = Migration(
    version=5,
    summary="per-voice speech and interruptions per turn; voice consent and profiles",
    statements=(
        "ALTER TABLE turns ADD COLUMN listener_speech REAL NOT NULL DEFAULT 0",
        "ALTER TABLE turns ADD COLUMN interruptions INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE turns ADD COLUMN interrupted_seconds REAL NOT NULL DEFAULT 0",
        """CREATE TABLE voice_consents (
            id INTEGER PRIMARY KEY,
            session_id INTEGER REFERENCES sessions(id),
            partner TEXT NOT NULL,
            given INTEGER NOT NULL CHECK (given IN (0, 1)),
            at TEXT NOT NULL
        )""",
        """CREATE TABLE voice_profiles (
            id INTEGER PRIMARY KEY,
            partner TEXT NOT NULL,
            method TEXT NOT NULL,
            version INTEGER NOT NULL,
            data BLOB NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (partner, method)
        )""",
    ),
)

# v6: the guide file a check-in was started from (NULL for a shipped guide), so
# `checkin run --resume` reads the same file again without being told.
V6 = Migration(
    version=6,
    summary="the guide file of a check-in started from one",
    statements=("ALTER TABLE sessions ADD COLUMN guide_file TEXT",),
)

# v7: gentle words and the last seed skills. Per turn, how many statements the speaker
# made, how many spoke from "I" and how many were absolute blame: counts only, never the
# words (0 for every older turn: nothing was counted then, so it shows no share). How
# each partner feels loved (the weekly guide's optional step) and the patterns each saw
# in themselves (the review's), in their own words after their "save it".
V7 = Migration(
    version=7,
    summary="counted statements per turn; how each feels loved; patterns",
    statements=(
        "ALTER TABLE turns ADD COLUMN statements INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE turns ADD COLUMN i_statements INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE turns ADD COLUMN blame_phrases INTEGER NOT NULL DEFAULT 0",
        """CREATE TABLE loved (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            partner TEXT NOT NULL,
            text TEXT NOT NULL,
            clock REAL NOT NULL,
            at TEXT NOT NULL
        )""",
        """CREATE TABLE patterns (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            partner TEXT NOT NULL,
            text TEXT NOT NULL,
            clock REAL NOT NULL,
            at TEXT NOT NULL
        )""",
    ),
)

MIGRATIONS: tuple[Migration, ...] = (V1, V2, V3, V4, V5, V6, V7)
CURRENT_VERSION = MIGRATIONS[-1].version


def current_version(db: sqlite3.Connection) -> int:
    """The applied schema version; 0 for an empty database."""
    has_table = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not has_table:
        return 0
    row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(db: sqlite3.Connection, target: int = CURRENT_VERSION) -> int:
    """Apply every missing migration up to `target`, one transaction each; return the version.

    `db` must be in autocommit mode (isolation_level=None) so the transactions here are ours.
    """
    version = current_version(db)
    for migration in MIGRATIONS:
        if migration.version <= version or migration.version > target:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            for statement in migration.statements:
                db.execute(statement)
            if migration.backfill is not None:
                migration.backfill(db)
            db.execute("DELETE FROM schema_version")
            db.execute("INSERT INTO schema_version (version) VALUES (?)", (migration.version,))
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:  # SQLite rolls back by itself after some errors
                db.execute("ROLLBACK")
            raise
        version = migration.version
    return version
