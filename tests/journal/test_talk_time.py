"""The talk-time rule, written once in flow/turns.py: the closing's ledger and the
journal's history say the same seconds for the same turns."""

from __future__ import annotations

from datetime import datetime

from assistant.flow.events import TurnRecord
from assistant.flow.turns import TalkLedger, interjected, speech_of
from assistant.journal.store import Journal

AT = datetime(2025, 3, 3, 19, 0)
TURNS = (
    TurnRecord("sharing", "Ana", 300, 290, 200.0, "time", listener_speech=12.5),
    TurnRecord("sharing", "Ben", 300, 280, 180.0, "done", listener_speech=4.0),
    TurnRecord("reflect", "Ana", 60, 50, 40.0, "done", listener_speech=0.5),
)


def test_what_a_listener_says_is_theirs_not_the_holders() -> None:
    own = {"Ana": 240.0, "Ben": 180.0}
    heard = {"Ana": 13.0, "Ben": 4.0}  # by the turn's holder: what the listener said
    assert interjected("Ana", heard) == 4.0 and interjected("Ben", heard) == 13.0
    assert speech_of("Ana", own, heard) == 244.0
    assert speech_of("Ben", own, heard) == 193.0
    assert speech_of("Ana", {}, {}) == 0.0 and type(interjected("Ana", {})) is float
    assert speech_of("Ben", {"Ana": 10.0}, {}) == 0.0  # no turn of one's own, nothing said


def test_the_ledger_and_the_history_agree(journal: Journal) -> None:
    ledger = TalkLedger()
    sid = journal.begin_session("weekly", ("Ana", "Ben"), AT)
    for turn in TURNS:
        ledger.add(turn)
        journal.record(sid, turn, AT)
    [summary] = journal.sessions()
    for partner in ("Ana", "Ben"):
        assert summary.speech[partner] == ledger.speech(partner) == ledger.talk_seconds(partner)
    assert summary.speech == {"Ana": 244.0, "Ben": 193.0}


def test_without_measured_speech_the_ledger_counts_time_used() -> None:
    ledger = TalkLedger()
    ledger.add(TurnRecord("day", "Ana", 180, 200, 0.0, "overrun"))
    ledger.add(TurnRecord("day", "Ben", 180, 150, 0.0, "done"))
    assert (ledger.talk_seconds("Ana"), ledger.talk_seconds("Ben")) == (200, 150)
