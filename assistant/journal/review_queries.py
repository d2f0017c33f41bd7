"""Reading the review schedule and what a review reads back and follows up.

The date arithmetic is pure (assistant/journal/reviews.py); this part asks the journal
for the checkpoints, the rituals, plans and changes agreed, and the shared activity
nobody has been asked about yet.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from assistant.flow.events import PlannedActivity
from assistant.journal import reviews
from assistant.journal.connection import JournalConnection
from assistant.journal.reviews import Checkpoint, DueReview


class ReviewQueries(JournalConnection):
    """The part of `Journal` a review asks: what is due, and what to read back."""

    def rituals_due_for_review(self, today: date) -> list[DueReview]:
        """Reviews due on `today` and not yet done, each with the rituals to read back."""
        with self._reading():
            live = [c for _, c in live_checkpoints(self._db)]
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
            return [c for _, c in live_checkpoints(self._db)]

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


def live_checkpoints(db: sqlite3.Connection) -> list[tuple[int, Checkpoint]]:
    """(row id, checkpoint) of the current schedule (none a newer agreement retired), by
    date: read here, and settled by a completed review's end (writing.py)."""
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
