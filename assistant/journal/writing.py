"""Writing the journal: a session's row, each confirmed record, its end.

`Journal.record` looks the record's type up in `WRITERS`, one small function per record
kind, so a new kind of record needs one function and one line in the table (and
tests/journal/test_writers.py fails until it has them). Each record is committed when
`record` returns; a ritual and its review checkpoints go in one transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

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
    Record,
    Ritual,
    StepRecord,
    Support,
    TurnRecord,
    VoiceConsent,
)
from assistant.journal import kept, reviews
from assistant.journal.connection import JournalConnection, local_day, to_utc_text
from assistant.journal.read_models import COMPLETED
from assistant.journal.review_queries import live_checkpoints
from assistant.journal.reviews import REVIEW_GUIDE


class Writing(JournalConnection):
    """The part of `Journal` that writes: sessions begun and ended, records kept."""

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
        writer = WRITERS.get(type(record))
        if writer is None:
            raise TypeError(f"the journal does not store {type(record).__name__}")
        writer(self, session_id, record, at)

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
            if reason != COMPLETED or _guide_of(db, session_id) != REVIEW_GUIDE:
                return
            review_day = local_day(ended_at)
            for checkpoint_id, checkpoint in live_checkpoints(db):
                if reviews.counts_as_done(checkpoint, review_day):
                    db.execute(
                        """UPDATE review_checkpoints SET done_session_id = ?, done_on = ?
                           WHERE id = ?""",
                        (session_id, review_day.isoformat(), checkpoint_id),
                    )


# ------------------------------------------------------------ one writer per record


def _appreciation(journal: Writing, session_id: int, record: Appreciation,
                  at: datetime) -> None:
    journal._write(
        """INSERT INTO appreciations
           (session_id, from_partner, to_partner, text, confidence, clock, at)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (session_id, record.from_partner, record.to_partner, record.text, record.confidence,
         record.at, to_utc_text(at)),
    )


def _cause(journal: Writing, session_id: int, record: Cause, at: datetime) -> None:
    journal._write(
        "INSERT INTO causes (session_id, named_by, text, clock, at) VALUES (?, ?, ?, ?, ?)",
        (session_id, record.named_by, record.text, record.at, to_utc_text(at)),
    )


def _ritual(journal: Writing, session_id: int, ritual: Ritual, at: datetime) -> None:
    """A ritual plus, for a new agreement, its 2/4/8-week checkpoints, in one transaction.

    Rituals agreed in a review session adjust the current list and keep its schedule;
    rituals agreed anywhere else start a new schedule and retire the old one.
    """
    agreed_on = local_day(at)
    with journal._transaction() as db:
        db.execute(
            """INSERT INTO rituals (session_id, proposed_by, text, agreed_on, clock, at)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (session_id, ritual.proposed_by, ritual.text, agreed_on.isoformat(), ritual.at,
             to_utc_text(at)),
        )
        if _guide_of(db, session_id) == REVIEW_GUIDE:
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


def _activity(journal: Writing, session_id: int, record: Activity, at: datetime) -> None:
    by = record.by or local_day(at) + ACTIVITY_WITHIN
    journal._write(
        """INSERT INTO activities
           (session_id, proposed_by, text, agreed_on, by_date, clock, at)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (session_id, record.proposed_by, record.text, local_day(at).isoformat(),
         by.isoformat(), record.at, to_utc_text(at)),
    )


def _activity_check(journal: Writing, session_id: int, record: ActivityCheck,
                    at: datetime) -> None:
    """The review's answer is written to the activity's own row (never a new row)."""
    journal._write(
        "UPDATE activities SET happened = ?, checked_session_id = ? WHERE id = ?",
        (int(record.happened), session_id, record.activity_id),
    )


def _support(journal: Writing, session_id: int, record: Support, at: datetime) -> None:
    journal._write(
        """INSERT INTO support_wishes (session_id, partner, text, clock, at)
           VALUES (?, ?, ?, ?, ?)""",
        (session_id, record.partner, record.text, record.at, to_utc_text(at)),
    )


def _plan(journal: Writing, session_id: int, record: Plan, at: datetime) -> None:
    journal._write(
        """INSERT INTO plans (session_id, proposed_by, text, agreed_on, clock, at)
           VALUES (?, ?, ?, ?, ?, ?)""",
        (session_id, record.proposed_by, record.text, local_day(at).isoformat(), record.at,
         to_utc_text(at)),
    )


def _adjustment(journal: Writing, session_id: int, record: Adjustment, at: datetime) -> None:
    journal._write(
        """INSERT INTO adjustments (session_id, proposed_by, text, clock, at)
           VALUES (?, ?, ?, ?, ?)""",
        (session_id, record.proposed_by, record.text, record.at, to_utc_text(at)),
    )


def _turn(journal: Writing, session_id: int, record: TurnRecord, at: datetime) -> None:
    journal._write(
        """INSERT INTO turns
           (session_id, step, partner, allotted, used, speech, ended_by, at,
            listener_speech, interruptions, interrupted_seconds, statements,
            i_statements, blame_phrases)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (session_id, record.step, record.partner, record.allotted, record.used, record.speech,
         record.ended_by, to_utc_text(at), record.listener_speech, record.interruptions,
         record.interrupted_seconds, record.statements, record.i_statements, record.blame),
    )


def _kept(journal: Writing, session_id: int, record: Loved | Pattern, at: datetime) -> None:
    journal._write(*kept.insert(session_id, record, to_utc_text(at)))


def _voice_consent(journal: Writing, session_id: int, record: VoiceConsent,
                   at: datetime) -> None:
    journal._write(
        "INSERT INTO voice_consents (session_id, partner, given, at) VALUES (?, ?, ?, ?)",
        (session_id, record.partner, int(record.given), to_utc_text(at)),
    )


def _heat(journal: Writing, session_id: int, record: HeatRecord, at: datetime) -> None:
    journal._write(
        """INSERT INTO heat_events
           (session_id, kind, step, level_db, baseline_db, clock, at)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (session_id, record.kind, record.step, record.level_db, record.baseline_db, record.at,
         to_utc_text(at)),
    )


def _step(journal: Writing, session_id: int, record: StepRecord, at: datetime) -> None:
    journal._write(
        "INSERT INTO steps (session_id, step, step_index, clock, at) VALUES (?, ?, ?, ?, ?)",
        (session_id, record.step, record.index, record.at, to_utc_text(at)),
    )


# Every kind of record the flow can save, and the function that keeps it.
WRITERS: dict[type[Any], Callable[[Writing, int, Any, datetime], None]] = {
    Appreciation: _appreciation,
    Cause: _cause,
    Ritual: _ritual,
    Activity: _activity,
    ActivityCheck: _activity_check,
    Support: _support,
    Plan: _plan,
    Adjustment: _adjustment,
    TurnRecord: _turn,
    Loved: _kept,
    Pattern: _kept,
    VoiceConsent: _voice_consent,
    HeatRecord: _heat,
    StepRecord: _step,
}


def _guide_of(db: sqlite3.Connection, session_id: int) -> str | None:
    row = db.execute("SELECT guide FROM sessions WHERE id = ?", (session_id,)).fetchone()
    return row[0] if row else None
