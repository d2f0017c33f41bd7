"""A realistic journal for tests and for looking at the report: six weekly check-ins.

Everything goes through the public Journal API, the same calls the session makes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from assistant.flow.events import (
    Appreciation,
    Cause,
    HeatRecord,
    Ritual,
    StepRecord,
    TurnRecord,
)
from assistant.journal.store import Journal

PARTNERS = ("Joon", "Min-ji")
FIRST_DAY = datetime(2024, 4, 7, 19, 0)  # a Sunday evening, naive = local time

# (Joon's speech seconds, Min-ji's, raised voices, pauses, appreciations (from, text))
WEEKS: list[tuple[float, float, int, int, list[tuple[str, str]]]] = [
    (290.0, 170.0, 2, 1, [("Joon", "I appreciate that you listened to me tonight.")]),
    (
        260.0,
        215.0,
        1,
        1,
        [
            ("Min-ji", 'Thank you for saying "sorry" first.'),
            ("Joon", "you made tea\nevery morning this week"),
        ],
    ),
    (240.0, 236.0, 1, 0, []),
    (
        255.0,
        248.0,
        0,
        0,
        [
            ("Min-ji", "고마워, 주말 산책 정말 좋았어."),
            ("Joon", "I appreciate the note you left — it made my day."),
        ],
    ),
    (230.0, 251.0, 0, 0, [("Joon", "Thanks for planning the museum trip.")]),
    (
        244.0,
        241.0,
        0,
        0,
        [
            ("Min-ji", "I appreciate that you put your phone away."),
            ("Joon", "I appreciate you, 'as always' & more <3"),
        ],
    ),
]
RITUALS = ("a 10-minute nightly check-in", "a 20-minute weekend walk")


def fill(journal: Journal, weeks: int = len(WEEKS)) -> list[int]:
    """Write `weeks` completed weekly check-ins; rituals are agreed in the first one."""
    ids = []
    for n, (a_s, b_s, voices, pauses, apprs) in enumerate(WEEKS[:weeks]):
        start = FIRST_DAY + timedelta(weeks=n)
        sid = journal.begin_session("weekly", PARTNERS, start)
        ids.append(sid)
        journal.record(sid, StepRecord("welcome", 0, 0.0), start)
        journal.record(sid, StepRecord("sharing", 1, 60.0), start + timedelta(minutes=1))
        journal.record(sid, TurnRecord("sharing", "Joon", 300.0, a_s + 5, a_s, "done"), start)
        journal.record(sid, TurnRecord("sharing", "Min-ji", 300.0, b_s + 5, b_s, "done"), start)
        for k in range(voices):
            journal.record(sid, HeatRecord("voice", 100.0 + k, "sharing", -14.0, -27.0), start)
        for k in range(pauses):
            journal.record(sid, HeatRecord("pause", 130.0 + k, "sharing"), start)
        journal.record(sid, Cause("Min-ji", "work took every evening", 700.0), start)
        if n == 0:
            for who, text in zip(PARTNERS, RITUALS, strict=True):
                journal.record(sid, Ritual(who, text, 900.0), start + timedelta(minutes=15))
        for k, (who, text) in enumerate(apprs):
            to = PARTNERS[1] if who == PARTNERS[0] else PARTNERS[0]
            at = start + timedelta(minutes=20, seconds=k)
            journal.record(sid, Appreciation(who, to, text, 0.87, 1200.0 + k), at)
        journal.end_session(sid, "completed", start + timedelta(minutes=26))
    return ids
