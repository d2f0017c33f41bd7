"""Reading the journal back: the rows the commands show and a resumed check-in needs.

Each method hands back plain rows (assistant/journal/rows.py, or the flow's own
`TurnRecord`), never a cursor, so nothing outside the journal touches SQL.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from assistant.flow.events import TurnRecord
from assistant.flow.kinds import EndReason, ItemKind
from assistant.journal import kept
from assistant.journal.connection import JournalConnection, from_utc_text, local_day
from assistant.journal.rows import SavedAppreciation, SavedHeat, SessionSummary, UnfinishedSession
from assistant.journal.summaries import session_summaries

COMPLETED = EndReason.COMPLETED.value
# The table of each kind of collected item (a resumed check-in counts what it kept).
ITEM_TABLES: dict[ItemKind, str] = {
    ItemKind.APPRECIATION: "appreciations", ItemKind.CAUSE: "causes",
    ItemKind.RITUAL: "rituals", ItemKind.ACTIVITY: "activities",
    ItemKind.SUPPORT: "support_wishes", ItemKind.PLAN: "plans",
    ItemKind.ADJUSTMENT: "adjustments", ItemKind.LOVED: "loved", ItemKind.PATTERN: "patterns"}
# What `dump` exports, table by table (voice profiles apart: never their numbers).
DUMPED = ("sessions", "steps", "turns", "heat_events", "appreciations", "causes", "rituals",
          "review_checkpoints", "transcripts", "activities", "support_wishes", "plans",
          "adjustments", "voice_consents", "loved", "patterns")


class ReadModels(JournalConnection):
    """The part of `Journal` that reads what was kept, for the commands and a resume."""

    def sessions(self) -> list[SessionSummary]:
        """Every session, oldest first, with its numbers and confirmed items."""
        with self._reading():
            return session_summaries(self._db)

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

    def turns(self, session_id: int) -> list[TurnRecord]:
        """A session's turns as the flow saved them (a resumed check-in carries them on)."""
        with self._reading():
            rows = self._db.execute(
                """SELECT step, partner, allotted, used, speech, ended_by, listener_speech,
                   interruptions, interrupted_seconds, statements, i_statements,
                   blame_phrases FROM turns WHERE session_id = ? ORDER BY id""",
                (session_id,),
            ).fetchall()
        return [TurnRecord(*r) for r in rows]

    def completed_checkins(self) -> int:
        """How many check-ins ran to their end (the closing's tip turns with it)."""
        with self._reading():
            row = self._db.execute(
                "SELECT COUNT(*) FROM sessions WHERE end_reason = ?", (COMPLETED,)
            ).fetchone()
        return int(row[0])

    def items_kept(self, session_id: int, item: ItemKind) -> int:
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

    def dump(self) -> dict[str, list[dict[str, Any]]]:
        """Every row of every table (for `checkin export --json`), transcripts included only
        when a session kept them, which is the only way they exist."""
        out: dict[str, list[dict[str, Any]]] = {}
        with self._reading():
            for table in DUMPED:
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
