"""A typed check-in measured no speech: history, export and the report say "typed" and
show the time each partner took, never "0:00 of speech" or an equal split."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from assistant.flow.events import Appreciation, TurnRecord
from assistant.journal.export import appreciations_markdown, everything_json
from assistant.journal.history import history_text
from assistant.journal.report import build_report_data, html_page, render_figure
from assistant.journal.store import Journal
from tests.journal import sample

TYPED_DAY = sample.FIRST_DAY + timedelta(weeks=len(sample.WEEKS))


def add_typed(journal: Journal) -> int:
    """A typed daily check-in after the sample's hands-free ones: Joon took 4:05, Min-ji 3:10."""
    joon, minji = sample.PARTNERS
    sid = journal.begin_session("daily", sample.PARTNERS, TYPED_DAY, typed=True)
    journal.record(sid, TurnRecord("day", joon, 180.0, 245.0, 0.0, "overrun"), TYPED_DAY)
    journal.record(sid, TurnRecord("day", minji, 180.0, 190.0, 0.0, "done"), TYPED_DAY)
    journal.record(sid, Appreciation(minji, joon, "you cooked.", 1.0, 500.0),
                   TYPED_DAY + timedelta(minutes=9))
    journal.end_session(sid, "completed", TYPED_DAY + timedelta(minutes=10))
    return sid


def test_history_shows_time_taken_for_a_typed_check_in_and_speech_otherwise(
        journal: Journal) -> None:
    sample.fill(journal, weeks=1)
    add_typed(journal)
    sessions = journal.sessions()
    assert [s.typed for s in sessions] == [False, True]
    text = history_text(sessions, [], date(2024, 6, 1))
    typed_block, spoken_block = text.split("\n\n")[:2]
    assert "  daily, typed  10 min, completed" in typed_block
    assert "  time taken (typed): Joon 4:05 · Min-ji 3:10 (allotted 3:00 each)" in typed_block
    assert "speech" not in typed_block
    assert "  speech: Joon 4:50 · Min-ji 2:50 (allotted 5:00 each)" in spoken_block
    assert "typed" not in spoken_block


def test_exports_mark_typed_check_ins(journal: Journal) -> None:
    sample.fill(journal, weeks=1)
    sid = add_typed(journal)
    markdown = appreciations_markdown(journal.appreciations(), datetime.now().astimezone())
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert [h.endswith(" · typed") for h in headings] == [True, False]
    assert "> you cooked." in markdown  # the text itself is untouched
    data = json.loads(everything_json(journal, datetime.now().astimezone()))
    summary = {s["id"]: s for s in data["sessions_summary"]}
    assert summary[sid]["typed"] is True and summary[sid]["speech"] is None
    assert summary[sid]["used"] == {"Joon": 245.0, "Min-ji": 190.0}
    assert summary[1]["typed"] is False and summary[1]["speech"] == {"Joon": 290.0,
                                                                     "Min-ji": 170.0}
    assert {row["id"]: row["typed"] for row in data["tables"]["sessions"]} == {1: 0, sid: 1}


def test_report_draws_a_typed_check_in_apart_never_as_measured_speech(
        journal: Journal) -> None:
    sample.fill(journal, weeks=2)
    add_typed(journal)
    sessions = journal.sessions()
    data = build_report_data(sessions, journal.heat_events(), journal.appreciations())
    assert data.typed == (False, False, True)
    assert data.share_a[2] == 0.0 and data.share_b[2] == 0.0  # no split drawn
    balance = render_figure(data).axes[0]
    bars = {c.get_label(): [float(v) for v in c.datavalues] for c in balance.containers}
    assert bars["typed: no speech"] == [0.0, 0.0, 100.0]
    assert bars["Joon"][2] == 0.0 and bars["Min-ji"][2] == 0.0
    texts = [t.get_text() for t in balance.texts]
    assert texts.count("typed") == 1 and "no speech\nmeasured" not in texts
    page = html_page(data, sessions, b"")
    assert "typed, time taken: Joon 4:05 · Min-ji 3:10" in page


def test_a_journal_without_typed_check_ins_draws_no_typed_bar(journal: Journal) -> None:
    sample.fill(journal, weeks=2)
    data = build_report_data(journal.sessions(), [], [])
    labels = [c.get_label() for c in render_figure(data).axes[0].containers]
    assert "typed: no speech" not in labels
