"""Ritual reviews at 2, 4 and 8 weeks, driven by fake dates (no clock is read)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from assistant.flow.events import Ritual
from assistant.journal.reviews import Checkpoint, checkpoint_dates, most_recent_due
from assistant.journal.store import Journal

AGREED = date(2024, 4, 7)
RITUALS = ("a 10-minute nightly check-in", "a 20-minute weekend walk")


def at(day: date, hour: int = 19) -> datetime:
    return datetime.combine(day, time(hour))


def agree(
    journal: Journal, day: date, rituals: tuple[str, ...] = RITUALS, guide: str = "weekly"
) -> int:
    sid = journal.begin_session(guide, ("Joon", "Min-ji"), at(day))
    for n, text in enumerate(rituals):
        journal.record(sid, Ritual("Joon" if n % 2 == 0 else "Min-ji", text, 900.0 + n), at(day))
    journal.end_session(sid, "completed", at(day, 20))
    return sid


def review(journal: Journal, day: date, reason: str = "completed") -> int:
    sid = journal.begin_session("review", ("Joon", "Min-ji"), at(day))
    journal.end_session(sid, reason, at(day) + timedelta(minutes=15))
    return sid


def due_weeks(journal: Journal, day: date) -> list[int]:
    return [d.weeks for d in journal.rituals_due_for_review(day)]


def test_checkpoint_dates_are_two_four_and_eight_weeks_later() -> None:
    assert checkpoint_dates(AGREED) == [
        (2, date(2024, 4, 21)),
        (4, date(2024, 5, 5)),
        (8, date(2024, 6, 2)),
    ]


def test_one_review_covers_missed_ones() -> None:
    checkpoints = [Checkpoint(1, AGREED, w, d) for w, d in checkpoint_dates(AGREED)]
    latest = most_recent_due(checkpoints, date(2024, 5, 10))
    assert latest is not None and latest.weeks == 4
    assert most_recent_due(checkpoints, date(2024, 4, 20)) is None


def test_reviews_fall_due_and_are_done_in_turn(journal: Journal) -> None:
    agree(journal, AGREED)
    assert due_weeks(journal, date(2024, 4, 20)) == []
    (due,) = journal.rituals_due_for_review(date(2024, 4, 21))
    assert (due.weeks, due.due_on, due.agreed_on) == (2, date(2024, 4, 21), AGREED)
    assert due.rituals == RITUALS  # what the review guide reads back
    assert journal.latest_rituals() == list(RITUALS)

    review(journal, date(2024, 4, 22))
    assert due_weeks(journal, date(2024, 4, 22)) == []
    assert due_weeks(journal, date(2024, 5, 4)) == []
    assert due_weeks(journal, date(2024, 5, 5)) == [4]

    review(journal, date(2024, 5, 3))  # two days early still counts
    assert due_weeks(journal, date(2024, 5, 5)) == []
    assert due_weeks(journal, date(2024, 6, 1)) == []
    assert due_weeks(journal, date(2024, 6, 2)) == [8]
    review(journal, date(2024, 6, 2))
    assert due_weeks(journal, date(2025, 1, 1)) == []
    assert [c.done_on for c in journal.review_checkpoints()] == [
        date(2024, 4, 22),
        date(2024, 5, 3),
        date(2024, 6, 2),
    ]


def test_a_review_too_early_or_unfinished_does_not_count(journal: Journal) -> None:
    agree(journal, AGREED)
    review(journal, date(2024, 4, 10))  # 11 days before the 2-week date
    review(journal, date(2024, 4, 21), reason="stopped")
    assert due_weeks(journal, date(2024, 4, 21)) == [2]


def test_a_missed_review_is_offered_once_as_the_latest(journal: Journal) -> None:
    agree(journal, AGREED)
    assert due_weeks(journal, date(2024, 5, 20)) == [4]
    review(journal, date(2024, 5, 20))
    assert due_weeks(journal, date(2024, 5, 21)) == []  # week 2 was covered too
    assert due_weeks(journal, date(2024, 6, 2)) == [8]


def test_new_rituals_restart_the_schedule(journal: Journal) -> None:
    agree(journal, AGREED)
    agree(journal, date(2024, 4, 28), rituals=("cook together on Fridays",))
    assert journal.latest_rituals() == ["cook together on Fridays"]
    assert due_weeks(journal, date(2024, 5, 11)) == []  # the old 2-week date has been retired
    (due,) = journal.rituals_due_for_review(date(2024, 5, 12))
    assert (due.weeks, due.agreed_on) == (2, date(2024, 4, 28))
    assert due.rituals == ("cook together on Fridays",)


def test_rituals_adjusted_in_a_review_keep_the_schedule(journal: Journal) -> None:
    agree(journal, AGREED)
    adjusted = ("a 10-minute check-in after dinner", "a 20-minute weekend walk")
    agree(journal, date(2024, 4, 21), rituals=adjusted, guide="review")
    assert journal.latest_rituals() == list(adjusted)
    assert due_weeks(journal, date(2024, 4, 22)) == []  # that review settled week 2
    (due,) = journal.rituals_due_for_review(date(2024, 5, 5))
    assert (due.weeks, due.agreed_on, due.rituals) == (4, AGREED, adjusted)


def test_next_review_to_announce(journal: Journal) -> None:
    assert journal.next_review(AGREED) is None
    agree(journal, AGREED)
    assert journal.next_review(date(2024, 4, 21)) == date(2024, 5, 5)
    assert journal.next_review(date(2024, 4, 19)) == date(2024, 5, 5)  # early review counts
    review(journal, date(2024, 4, 21))
    assert journal.next_review(date(2024, 5, 5)) == date(2024, 6, 2)
    assert journal.next_review(date(2024, 6, 2)) is None
