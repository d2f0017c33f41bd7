"""`Journal.sessions` over several check-ins: every field of every summary, worked out by
hand from what was recorded (the grouped queries must give each session its own rows)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from assistant.flow.events import (
    Activity,
    ActivityCheck,
    Adjustment,
    Appreciation,
    Cause,
    HeatRecord,
    Loved,
    Pattern,
    Plan,
    Ritual,
    Support,
    TurnRecord,
)
from assistant.journal.rows import SavedActivity, SessionSummary
from assistant.journal.store import Journal

T = datetime(2025, 3, 3, 19, 0)  # local time, a Monday
ANA, BEN = PARTNERS = ("Ana", "Ben")


def voiced_weekly(journal: Journal) -> int:
    """Voices told apart, gentle words counted; two rituals (later retired)."""
    sid = journal.begin_session("weekly", PARTNERS, T)
    for record in (
        TurnRecord("sharing", ANA, 300, 290, 200.0, "time", 12.5, 2, 6.0, 4, 3, 1),
        TurnRecord("reflect", ANA, 60, 50, 40.0, "done", 0.5, 1, 1.5),
        TurnRecord("sharing", BEN, 300, 280, 180.0, "done", 4.0, 0, 0.0, 2, 1, 0),
        HeatRecord("voice", 100.0, "sharing", -14.0, -27.0),
        HeatRecord("voice", 200.0, "sharing", -12.0, -27.0),
        HeatRecord("pause", 300.0, "sharing"),
        Appreciation(ANA, BEN, "the tea", 0.9, 400.0),
        Appreciation(BEN, ANA, "the lift", 0.8, 410.0),
        Cause(ANA, "late nights", 500.0),
        Cause(BEN, "phones at dinner", 510.0),
        Ritual(ANA, "tea at nine", 600.0),
        Ritual(BEN, "a walk on sundays", 610.0),
        Loved(ANA, "time together", 700.0),
    ):
        journal.record(sid, record, T)
    journal.end_session(sid, "completed", T + timedelta(minutes=30))
    return sid


def typed_daily(journal: Journal) -> int:
    """Typed (no speech measured), stopped; two activities, a plan, seeds."""
    day = T + timedelta(days=1)
    sid = journal.begin_session("daily", PARTNERS, day, typed=True)
    for record in (
        TurnRecord("day", ANA, 180, 200, 0.0, "overrun"),
        TurnRecord("day", BEN, 180, 150, 0.0, "done"),
        Support(ANA, "ask about the exam", 10.0),
        Support(BEN, "a quiet hour", 11.0),
        Pattern(BEN, "I go quiet; I say so", 12.0),
        Activity(ANA, "pottery", date(2025, 3, 20), 13.0),
        Activity(BEN, "a picnic", None, 14.0),  # no date: two weeks from the day
        Plan(BEN, "call when late", 15.0),
    ):
        journal.record(sid, record, day)
    journal.end_session(sid, "stopped", day + timedelta(minutes=12))
    return sid


def unfinished_weekly(journal: Journal) -> int:
    """Started a week later, never ended; its ritual retires the first schedule."""
    day = T + timedelta(days=7)
    sid = journal.begin_session("weekly", PARTNERS, day)
    journal.record(sid, Ritual(BEN, "cook together", 5.0), day)
    return sid


def review_begun_later(journal: Journal) -> int:
    """A row begun after the unfinished one but started before it (listed before it)."""
    day = T + timedelta(days=3)
    sid = journal.begin_session("review", PARTNERS, day)
    planned = journal.activity_to_follow_up()
    assert planned is not None and planned.text == "a picnic"
    for record in (
        ActivityCheck(planned.id, True, 1.0),
        Adjustment(ANA, "walks move to saturday", 2.0),
        HeatRecord("pause", 3.0, "review"),
        Appreciation(BEN, ANA, "you asked", 1.0, 4.0),
    ):
        journal.record(sid, record, day)
    journal.end_session(sid, "completed", day + timedelta(minutes=20))
    return sid


def test_several_sessions_each_get_their_own_numbers_and_items(journal: Journal) -> None:
    first, typed, unfinished, review = (voiced_weekly(journal), typed_daily(journal),
                                        unfinished_weekly(journal), review_begun_later(journal))
    zero = {ANA: 0.0, BEN: 0.0}
    expected = [
        SessionSummary(
            id=first, guide="weekly", partners=PARTNERS, started_at=T.astimezone(),
            ended_at=(T + timedelta(minutes=30)).astimezone(), end_reason="completed",
            # Ana: 200 + 40 of her own, 4 said in Ben's turn; Ben: 180, and 12.5 + 0.5 in hers
            speech={ANA: 244.0, BEN: 193.0}, allotted={ANA: 360.0, BEN: 300.0},
            used={ANA: 340.0, BEN: 280.0}, voice_raises=2, pauses=1,
            rituals=("tea at nine", "a walk on sundays"),
            causes=("late nights", "phones at dinner"), appreciations=2,
            reviews_due=(),  # retired by the rituals of the unfinished check-in
            interjected={ANA: 4.0, BEN: 13.0}, interruptions={ANA: 3, BEN: 0},
            interrupted_seconds={ANA: 7.5, BEN: 0.0}, statements={ANA: 4, BEN: 2},
            i_statements={ANA: 3, BEN: 1}, loved=1, patterns=0),
        SessionSummary(
            id=typed, guide="daily", partners=PARTNERS,
            started_at=(T + timedelta(days=1)).astimezone(),
            ended_at=(T + timedelta(days=1, minutes=12)).astimezone(), end_reason="stopped",
            speech=zero, allotted={ANA: 180.0, BEN: 180.0}, used={ANA: 200.0, BEN: 150.0},
            voice_raises=0, pauses=0, rituals=(), causes=(), appreciations=0,
            activities=(SavedActivity("pottery", date(2025, 3, 20), None),
                        SavedActivity("a picnic", date(2025, 3, 18), True)),
            plans=("call when late",), support_wishes=2, typed=True, interjected=zero,
            interruptions={ANA: 0, BEN: 0}, interrupted_seconds=zero,
            statements={ANA: 0, BEN: 0}, i_statements={ANA: 0, BEN: 0}, loved=0, patterns=1),
        SessionSummary(
            id=review, guide="review", partners=PARTNERS,
            started_at=(T + timedelta(days=3)).astimezone(),
            ended_at=(T + timedelta(days=3, minutes=20)).astimezone(), end_reason="completed",
            speech=zero, allotted=zero, used=zero, voice_raises=0, pauses=1, rituals=(),
            causes=(), appreciations=1, adjustments=("walks move to saturday",),
            interjected=zero, interruptions={ANA: 0, BEN: 0}, interrupted_seconds=zero,
            statements={ANA: 0, BEN: 0}, i_statements={ANA: 0, BEN: 0}),
        SessionSummary(
            id=unfinished, guide="weekly", partners=PARTNERS,
            started_at=(T + timedelta(days=7)).astimezone(), ended_at=None, end_reason=None,
            speech=zero, allotted=zero, used=zero, voice_raises=0, pauses=0,
            rituals=("cook together",), causes=(), appreciations=0,
            reviews_due=(date(2025, 3, 24), date(2025, 4, 7), date(2025, 5, 5)),
            interjected=zero, interruptions={ANA: 0, BEN: 0}, interrupted_seconds=zero,
            statements={ANA: 0, BEN: 0}, i_statements={ANA: 0, BEN: 0}),
    ]
    summaries = journal.sessions()
    assert [s.id for s in summaries] == [first, typed, review, unfinished]
    for got, want in zip(summaries, expected, strict=True):
        assert got == want
    # the numbers are floats and counts as they always were (JSON shows 0.0, not 0)
    assert all(type(v) is float for s in summaries for v in s.speech.values())
    assert all(type(v) is float for s in summaries for v in s.interjected.values())
    assert all(type(v) is int for s in summaries for v in s.interruptions.values())


def test_no_sessions_no_summaries(journal: Journal) -> None:
    assert journal.sessions() == []
