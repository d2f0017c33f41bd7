"""Every check-in as `checkin history`, the report and the export show it.

A few grouped queries read the whole journal once (each table's rows keyed by their
session); each summary then takes its own rows from them. Speech per partner follows the
talk-time rule of assistant/flow/turns.py, the same one the closing's summary says.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from assistant.flow.turns import interjected, speech_of
from assistant.journal import kept
from assistant.journal.connection import from_utc_text
from assistant.journal.rows import SavedActivity, SessionSummary

Rows = dict[int, list[tuple[Any, ...]]]  # a table's rows by session id, the id left off


def by_session(rows: Iterable[tuple[Any, ...]]) -> Rows:
    """Rows whose first column is a session id, grouped by it in the order they came."""
    grouped: Rows = {}
    for sid, *rest in rows:
        grouped.setdefault(sid, []).append(tuple(rest))
    return grouped


@dataclass(frozen=True)
class Found:
    """What the journal holds beside the sessions, each table read once."""

    turns: Rows  # per partner: speech, allotted, used, listener's speech, interruptions
    heat: Rows
    texts: dict[str, Rows]  # rituals, causes, plans, adjustments: their texts in order
    counted: dict[str, Rows]  # appreciations, support wishes: how many
    due: Rows
    activities: Rows
    words: dict[int, dict[str, tuple[int, int, int, int]]]  # gentle words, loved, patterns

    @classmethod
    def read(cls, db: sqlite3.Connection) -> Found:
        def grouped(sql: str) -> Rows:
            return by_session(db.execute(sql).fetchall())

        return cls(
            turns=grouped(
                """SELECT session_id, partner, SUM(speech), SUM(allotted), SUM(used),
                   SUM(listener_speech), SUM(interruptions), SUM(interrupted_seconds)
                   FROM turns GROUP BY session_id, partner"""),
            heat=grouped(
                "SELECT session_id, kind, COUNT(*) FROM heat_events GROUP BY session_id, kind"),
            texts={table: grouped(f"SELECT session_id, text FROM {table} ORDER BY id")
                   for table in ("rituals", "causes", "plans", "adjustments")},
            counted={table: grouped(
                f"SELECT session_id, COUNT(*) FROM {table} GROUP BY session_id")
                for table in ("appreciations", "support_wishes")},
            due=grouped(
                """SELECT agreed_session_id, due_on FROM review_checkpoints
                   WHERE superseded_by IS NULL ORDER BY due_on"""),
            activities=grouped(
                "SELECT session_id, text, by_date, happened FROM activities ORDER BY id"),
            words=kept.counts(db),
        )

    def text(self, table: str, sid: int) -> tuple[str, ...]:
        return tuple(text for (text,) in self.texts[table].get(sid, []))

    def count(self, table: str, sid: int) -> int:
        return next((int(n) for (n,) in self.counted[table].get(sid, [])), 0)


def session_summaries(db: sqlite3.Connection) -> list[SessionSummary]:
    """Every session, oldest first, with its numbers and confirmed items."""
    sessions = db.execute(
        """SELECT id, guide, partner_a, partner_b, started_at, ended_at, end_reason,
           typed FROM sessions ORDER BY started_at, id"""
    ).fetchall()
    found = Found.read(db)
    return [summary(row, found) for row in sessions]


def summary(session: tuple[Any, ...], found: Found) -> SessionSummary:
    """One session's summary from its row and what was found for it."""
    sid, guide, a, b, started, ended, reason, typed = session
    heat = {kind: n for kind, n in found.heat.get(sid, [])}
    return SessionSummary(
        id=sid,
        guide=guide,
        partners=(a, b),
        started_at=from_utc_text(started),
        ended_at=from_utc_text(ended) if ended else None,
        end_reason=reason,
        typed=bool(typed),
        voice_raises=heat.get("voice", 0),
        pauses=heat.get("pause", 0),
        rituals=found.text("rituals", sid),
        causes=found.text("causes", sid),
        appreciations=found.count("appreciations", sid),
        reviews_due=tuple(date.fromisoformat(d) for (d,) in found.due.get(sid, [])),
        activities=tuple(
            SavedActivity(text, date.fromisoformat(by),
                          None if happened is None else bool(happened))
            for text, by, happened in found.activities.get(sid, [])),
        plans=found.text("plans", sid),
        adjustments=found.text("adjustments", sid),
        support_wishes=found.count("support_wishes", sid),
        **turn_numbers((a, b), found.turns.get(sid, [])),
        **word_counts(found.words.get(sid, {}), (a, b)),
    )


def turn_numbers(partners: tuple[str, str], turns: list[tuple[Any, ...]]) -> dict[str, Any]:
    """A session's per-partner turn totals as SessionSummary fields: speech by the
    talk-time rule, what each said in the other's turns, the time allotted and used, and
    the interruptions in each one's turns."""
    own: dict[str, float] = {}
    heard: dict[str, float] = {}
    allotted = {p: 0.0 for p in partners}
    used = {p: 0.0 for p in partners}
    interruptions = {p: 0 for p in partners}
    interrupted = {p: 0.0 for p in partners}
    for partner, spoken, given, took, listened, times, over in turns:
        own[partner] = float(spoken or 0.0)
        heard[partner] = float(listened or 0.0)
        allotted[partner] = float(given or 0.0)
        used[partner] = float(took or 0.0)
        interruptions[partner] = int(times or 0)
        interrupted[partner] = float(over or 0.0)
    return {"speech": {p: speech_of(p, own, heard) for p in partners},
            "interjected": {p: interjected(p, heard) for p in partners},
            "allotted": allotted, "used": used, "interruptions": interruptions,
            "interrupted_seconds": interrupted}


def word_counts(counted: dict[str, tuple[int, int, int, int]],
                partners: tuple[str, str]) -> dict[str, Any]:
    """A session's gentle-words counts and seed items, as SessionSummary fields."""
    extra = counted.get("", (0, 0, 0, 0))
    return {"statements": {p: counted.get(p, (0, 0, 0, 0))[0] for p in partners},
            "i_statements": {p: counted.get(p, (0, 0, 0, 0))[1] for p in partners},
            "loved": extra[2], "patterns": extra[3]}
