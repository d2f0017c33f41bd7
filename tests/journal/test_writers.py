"""Every record the flow can save has a writer, and each writer keeps its record."""

from __future__ import annotations

from datetime import date, datetime
from typing import get_args, get_type_hints

import pytest

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
    Record,
    Ritual,
    Save,
    StepRecord,
    Support,
    TurnRecord,
    VoiceConsent,
)
from assistant.journal.store import Journal
from assistant.journal.writing import WRITERS

AT = datetime(2025, 3, 3, 19, 0)
SAVED = get_args(get_type_hints(Save)["record"])  # every record type a `Save` may carry

# One record of each kind, the table it lands in, and the column that shows it did.
SAMPLES: dict[type, tuple[Record, str, str, object]] = {
    Appreciation: (Appreciation("Ana", "Ben", "the tea", 0.9, 1.0), "appreciations", "text",
                   "the tea"),
    Cause: (Cause("Ben", "late nights", 2.0), "causes", "text", "late nights"),
    Ritual: (Ritual("Ana", "tea at nine", 3.0), "rituals", "text", "tea at nine"),
    Activity: (Activity("Ben", "pottery", date(2025, 3, 20), 4.0), "activities", "by_date",
               "2025-03-20"),
    ActivityCheck: (ActivityCheck(1, True, 5.0), "activities", "happened", 1),
    Support: (Support("Ana", "ask about the exam", 6.0), "support_wishes", "text",
              "ask about the exam"),
    Plan: (Plan("Ben", "call when late", 7.0), "plans", "text", "call when late"),
    Adjustment: (Adjustment("Ana", "walks on saturday", 8.0), "adjustments", "text",
                 "walks on saturday"),
    TurnRecord: (TurnRecord("sharing", "Ana", 300.0, 290.0, 200.0, "time", 12.5, 2, 6.0, 4,
                            3, 1), "turns", "blame_phrases", 1),
    Loved: (Loved("Ben", "time together", 9.0), "loved", "text", "time together"),
    Pattern: (Pattern("Ana", "I go quiet; I say so", 10.0), "patterns", "text",
              "I go quiet; I say so"),
    VoiceConsent: (VoiceConsent("Ben", True, 11.0), "voice_consents", "given", 1),
    HeatRecord: (HeatRecord("voice", 12.0, "sharing", -14.0, -27.0), "heat_events",
                 "level_db", -14.0),
    StepRecord: (StepRecord("sharing", 2, 13.0), "steps", "step_index", 2),
}


def test_every_record_the_flow_can_save_has_a_writer() -> None:
    assert len(SAVED) == 14
    assert set(WRITERS) == set(SAVED)
    assert set(SAMPLES) == set(SAVED)  # a new kind of record needs a sample here too


@pytest.mark.parametrize("kind", SAVED, ids=lambda kind: kind.__name__)
def test_each_writer_keeps_its_record(journal: Journal, kind: type) -> None:
    record, table, column, expected = SAMPLES[kind]
    sid = journal.begin_session("weekly", ("Ana", "Ben"), AT)
    if kind is ActivityCheck:  # the review's answer is written to the activity's own row
        journal.record(sid, SAMPLES[Activity][0], AT)
    journal.record(sid, record, AT)
    rows = journal.dump()[table]
    assert [row[column] for row in rows] == [expected]
    assert rows[0]["session_id" if kind is not ActivityCheck else "checked_session_id"] == sid
