"""The journal's side of gentle words and the last seed skills: per turn only counts are
kept; history and the report show each partner's own share of "I" statements by month,
against their own last month; how each feels loved and the patterns are kept as said."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from assistant.flow.events import Loved, Pattern, TurnRecord
from assistant.journal.history import history_text
from assistant.journal.report import build_report_data, render_figure, write_report
from assistant.journal.rows import to_json
from assistant.journal.speaking import Month, encouragement, months, speaking_lines
from assistant.journal.store import Journal

PAIR = ("Ana", "Ben")


def checkin(journal: Journal, when: datetime, counts: dict[str, tuple[int, int, int]]) -> int:
    """A finished weekly check-in whose sharing turns counted (statements, "I", blame)."""
    sid = journal.begin_session("weekly", PAIR, when, typed=True)
    for partner, (said, from_i, blame) in counts.items():
        journal.record(sid, TurnRecord("sharing", partner, 300, 200, 0, "done", statements=said,
                                       i_statements=from_i, blame=blame), when)
        journal.record(sid, TurnRecord("sharing", partner, 60, 30, 0, "done"), when)
    journal.end_session(sid, "completed", when)
    return sid


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 19, 0, tzinfo=timezone.utc)


def test_a_turn_keeps_its_counts_and_never_its_words(journal: Journal) -> None:
    sid = checkin(journal, at(11, 3), {"Ana": (4, 1, 2), "Ben": (3, 3, 0)})
    turns = journal.turns(sid)
    assert [(t.partner, t.statements, t.i_statements, t.blame) for t in turns] == [
        ("Ana", 4, 1, 2), ("Ana", 0, 0, 0), ("Ben", 3, 3, 0), ("Ben", 0, 0, 0)]
    [summary] = journal.sessions()
    assert summary.statements == {"Ana": 4, "Ben": 3}
    assert summary.i_statements == {"Ana": 1, "Ben": 3}
    dump = journal.dump()
    assert [t["blame_phrases"] for t in dump["turns"]] == [2, 0, 0, 0]
    assert "transcripts" in dump and dump["transcripts"] == []  # no words anywhere


def test_history_shows_each_partners_own_months_with_a_kind_word(journal: Journal) -> None:
    checkin(journal, at(10, 6), {"Ana": (4, 1, 2), "Ben": (2, 2, 0)})
    checkin(journal, at(11, 3), {"Ana": (4, 3, 0), "Ben": (4, 2, 1)})
    checkin(journal, at(11, 24), {"Ana": (2, 2, 0), "Ben": (2, 1, 0)})
    text = history_text(journal.sessions(), [], at(11, 30).date())
    assert text.splitlines()[-3:] == [
        'Speaking from "I" (each of you, against your own last month):',
        '  Ana: Oct 2026 25% · Nov 2026 83%: more "I feel" than last month',
        '  Ben: Oct 2026 100% · Nov 2026 50%: "I feel" gets easier with practice',
    ]
    summaries = json.loads(json.dumps(to_json(journal.sessions())))
    assert summaries[0]["i_statements"] == {"Ana": 1, "Ben": 2}


def test_nothing_counted_shows_nothing(journal: Journal) -> None:
    checkin(journal, at(11, 3), {"Ana": (0, 0, 0), "Ben": (0, 0, 0)})
    assert speaking_lines(journal.sessions()) == []
    assert "Speaking from" not in history_text(journal.sessions(), [], at(11, 4).date())
    assert build_report_data(journal.sessions(), [], []).speaking == ()


def test_encouragement_never_scores_one_partner_against_the_other() -> None:
    one = [Month(at(10, 1).date(), 4, 2)]
    assert encouragement(one) == "a first month counted"
    assert encouragement([*one, Month(at(11, 1).date(), 4, 3)]) == \
        'more "I feel" than last month'
    assert encouragement([*one, Month(at(11, 1).date(), 2, 1)]) == \
        'as much "I feel" as last month'
    lines = speaking_lines([])
    assert lines == []


def test_a_partner_is_compared_with_themselves_only(journal: Journal) -> None:
    checkin(journal, at(10, 6), {"Ana": (2, 1, 0), "Ben": (0, 0, 0)})
    checkin(journal, at(11, 3), {"Ana": (2, 1, 0), "Ben": (5, 5, 0)})
    by = months(journal.sessions())
    assert [m.share for m in by["Ana"]] == [0.5, 0.5]
    assert [m.share for m in by["Ben"]] == [1.0]  # Ben's October counted nothing: no month
    lines = speaking_lines(journal.sessions())
    assert lines[2] == "  Ben: Nov 2026 100%: a first month counted"


def test_the_report_draws_one_panel_per_partner(journal: Journal, tmp_path: Path) -> None:
    checkin(journal, at(10, 6), {"Ana": (4, 1, 2), "Ben": (2, 2, 0)})
    checkin(journal, at(11, 3), {"Ana": (4, 3, 0), "Ben": (4, 2, 1)})
    data = build_report_data(journal.sessions(), [], [])
    assert [(p, [m.share for m in h]) for p, h in data.speaking] == [
        ("Ana", [0.25, 0.75]), ("Ben", [1.0, 0.5])]
    figure = render_figure(data)
    titles = [ax.get_title(loc="left") for ax in figure.axes]
    assert titles[-2:] == ['Ana: speaking from "I"', 'Ben: speaking from "I"']
    heights = [[round(b.get_height()) for b in ax.patches] for ax in figure.axes[-2:]]
    assert heights == [[25, 75], [100, 50]]
    write_report(tmp_path / "report.png", journal.sessions(), [], [])
    assert (tmp_path / "report.png").read_bytes().startswith(b"\x89PNG")


def test_how_each_feels_loved_and_patterns_are_kept_as_said(journal: Journal) -> None:
    sid = journal.begin_session("weekly", PAIR, at(11, 3))
    journal.record(sid, Loved("Ana", "time together", 10.0), at(11, 3))
    journal.record(sid, Loved("Ben", "a hug when I get home", 12.0), at(11, 3))
    review = journal.begin_session("review", PAIR, at(11, 17))
    journal.record(review, Pattern("Ben", "I pull away; I'll say I need a minute", 5.0),
                   at(11, 17))
    journal.record(review, Loved("ana", "kind words", 9.0), at(11, 17))
    assert journal.loved(PAIR) == {"Ana": "kind words", "Ben": "a hug when I get home"}
    assert journal.loved(("Joon", "Min-ji")) == {}
    assert journal.items_kept(sid, "loved") == 2 and journal.items_kept(review, "pattern") == 1
    first, second = journal.sessions()
    assert (first.loved, first.patterns, second.loved, second.patterns) == (2, 0, 1, 1)
    text = history_text(journal.sessions(), [], at(11, 18).date())
    assert "  how you feel loved, saved: 2" in text and "  patterns saved: 1" in text
    dump = journal.dump()
    assert [(r["partner"], r["text"]) for r in dump["patterns"]] == [
        ("Ben", "I pull away; I'll say I need a minute")]
