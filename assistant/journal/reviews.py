"""When a ritual review falls due: pure date arithmetic, no database, no clock.

Rituals are agreed to be tried for four weeks; the content guide asks for a short review
after two weeks, again at four and at eight. A review done a few days early counts, so a
couple who reviewed on day 12 is not asked again on day 14.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

REVIEW_WEEKS: tuple[int, ...] = (2, 4, 8)
EARLY_REVIEW_DAYS = 3
REVIEW_GUIDE = "review"


@dataclass(frozen=True)
class Checkpoint:
    """One review date for the rituals agreed in one session."""

    agreed_session_id: int
    agreed_on: date
    weeks: int
    due_on: date
    done_on: date | None = None

    @property
    def done(self) -> bool:
        return self.done_on is not None


@dataclass(frozen=True)
class DueReview:
    """A review the couple should be offered now, with the rituals to read back."""

    agreed_session_id: int
    agreed_on: date
    weeks: int
    due_on: date
    rituals: tuple[str, ...]


def checkpoint_dates(agreed_on: date) -> list[tuple[int, date]]:
    """(weeks, due date) for each review of rituals agreed on `agreed_on`."""
    return [(weeks, agreed_on + timedelta(weeks=weeks)) for weeks in REVIEW_WEEKS]


def is_due(checkpoint: Checkpoint, today: date) -> bool:
    """Due on or after its date, and not yet done."""
    return not checkpoint.done and checkpoint.due_on <= today


def counts_as_done(checkpoint: Checkpoint, review_day: date) -> bool:
    """Whether a review held on `review_day` settles this checkpoint (due, or due very soon)."""
    return not checkpoint.done and checkpoint.due_on <= review_day + timedelta(
        days=EARLY_REVIEW_DAYS
    )


def most_recent_due(checkpoints: list[Checkpoint], today: date) -> Checkpoint | None:
    """The latest checkpoint that is due: one review covers any missed earlier ones."""
    due = [c for c in checkpoints if is_due(c, today)]
    return max(due, key=lambda c: c.weeks) if due else None
