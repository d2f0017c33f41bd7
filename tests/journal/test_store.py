"""The store against real SQLite: what goes in comes out, privately, and committed at once."""

from __future__ import annotations

import contextlib
import sqlite3
import stat
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from assistant.errors import StorageError
from assistant.flow.events import Appreciation, Cause, HeatRecord, Say, StepRecord, TurnRecord
from assistant.journal.paths import DB_NAME, resolve_data_dir
from assistant.journal.schema import CURRENT_VERSION
from assistant.journal.store import Journal
from tests.journal import sample

T0 = datetime(2024, 4, 7, 19, 0)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_folder_and_files_are_private_and_in_wal_mode(journal: Journal, data_dir: Path) -> None:
    sid = journal.begin_session("weekly", sample.PARTNERS, T0)
    journal.record(sid, Cause("Joon", "late nights", 10.0), T0)
    assert mode(data_dir) == 0o700
    files = sorted(p.name for p in data_dir.iterdir())
    assert files == [DB_NAME, f"{DB_NAME}-shm", f"{DB_NAME}-wal"]
    assert all(mode(data_dir / name) == 0o600 for name in files)
    with contextlib.closing(sqlite3.connect(data_dir / DB_NAME)) as other:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        # committed at once: a second connection sees the row without any close or flush
        assert other.execute("SELECT text FROM causes").fetchall() == [("late nights",)]
    assert journal.schema_version == CURRENT_VERSION


def test_an_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    Journal.open(tmp_path).close()
    assert mode(tmp_path) == 0o755
    assert mode(tmp_path / DB_NAME) == 0o600


def test_data_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("CHECKIN_HOME", raising=False)
    assert resolve_data_dir(None) == tmp_path / "xdg" / "checkin"
    monkeypatch.setenv("CHECKIN_HOME", str(tmp_path / "env"))
    assert resolve_data_dir(None) == tmp_path / "env"
    assert resolve_data_dir(tmp_path / "flag") == tmp_path / "flag"


def test_history_numbers_come_from_the_records(journal: Journal) -> None:
    ids = sample.fill(journal)
    sessions = journal.sessions()
    assert [s.id for s in sessions] == ids
    for summary, week in zip(sessions, sample.WEEKS, strict=True):
        joon, minji, voices, pauses, apprs = week
        assert summary.speech == {"Joon": joon, "Min-ji": minji}
        assert summary.allotted == {"Joon": 300.0, "Min-ji": 300.0}
        assert (summary.voice_raises, summary.pauses) == (voices, pauses)
        assert summary.appreciations == len(apprs)
        assert summary.duration == 26 * 60
        assert summary.causes == ("work took every evening",)
    assert sessions[0].rituals == sample.RITUALS
    assert sessions[0].reviews_due == (date(2024, 4, 21), date(2024, 5, 5), date(2024, 6, 2))
    assert all(s.rituals == () for s in sessions[1:])
    heat = journal.heat_events()
    assert len(heat) == sum(w[2] + w[3] for w in sample.WEEKS)
    assert heat[0].level_db == -14.0 and heat[0].baseline_db == -27.0


def test_appreciations_newest_first_and_filters(journal: Journal) -> None:
    sample.fill(journal)
    every = journal.appreciations()
    expected = [text for week in sample.WEEKS for _, text in week[4]]
    assert [a.text for a in every] == list(reversed(expected))
    assert all(a.at >= b.at for a, b in zip(every, every[1:], strict=False))
    by_minji = journal.appreciations(from_partner="min-ji")
    assert {a.text for a in by_minji} == {
        text for week in sample.WEEKS for who, text in week[4] if who == "Min-ji"
    }
    assert all(a.to_partner == "Joon" for a in by_minji)
    since = journal.appreciations(since=date(2024, 5, 5))
    assert [a.text for a in since] == list(reversed(expected))[:3]
    assert journal.appreciation(every[0].id) == every[0]
    assert journal.appreciation(9999) is None


def test_unfinished_session_reports_the_last_step(journal: Journal) -> None:
    assert journal.unfinished_session() is None
    sid = journal.begin_session("daily", ("A", "B"), T0)
    journal.record(sid, StepRecord("welcome", 0, 0.0), T0)
    journal.record(sid, StepRecord("highs-and-lows", 1, 42.0), T0 + timedelta(seconds=42))
    unfinished = journal.unfinished_session()
    assert unfinished is not None
    assert (unfinished.id, unfinished.guide, unfinished.partners) == (sid, "daily", ("A", "B"))
    assert (unfinished.last_step, unfinished.last_step_index) == ("highs-and-lows", 1)
    journal.end_session(sid, "stopped", T0 + timedelta(minutes=2))
    assert journal.unfinished_session() is None


def test_transcripts_only_when_the_session_keeps_them(journal: Journal) -> None:
    private = journal.begin_session("weekly", ("A", "B"), T0)
    kept = journal.begin_session("weekly", ("A", "B"), T0, keep_transcript=True)
    journal.transcript(private, "A", "words nobody chose to keep", T0)
    journal.transcript(kept, "A", "words A chose to keep", T0)
    rows = journal.dump()["transcripts"]
    assert [(r["session_id"], r["text"]) for r in rows] == [(kept, "words A chose to keep")]


def test_only_records_are_accepted(journal: Journal) -> None:
    sid = journal.begin_session("weekly", ("A", "B"), T0)
    with pytest.raises(TypeError, match="Say"):
        journal.record(sid, Say("hello"), T0)  # type: ignore[arg-type]


def test_a_record_for_a_missing_session_is_a_storage_error(journal: Journal) -> None:
    with pytest.raises(StorageError, match="Could not save"):
        journal.record(42, Appreciation("A", "B", "x", 1.0, 0.0), T0)
    assert journal.appreciations() == []


def test_turn_and_heat_rows_keep_every_number(journal: Journal) -> None:
    sid = journal.begin_session("weekly", ("A", "B"), T0)
    journal.record(sid, TurnRecord("sharing", "A", 300.0, 312.5, 201.25, "overrun"), T0)
    journal.record(sid, HeatRecord("pause", 77.5, "causes"), T0)
    (turn,) = journal.turns(sid)
    assert (turn.allotted, turn.used, turn.speech, turn.ended_by) == (
        300.0,
        312.5,
        201.25,
        "overrun",
    )
    (heat,) = journal.heat_events()
    assert (heat.kind, heat.step, heat.level_db) == ("pause", "causes", None)
    assert journal.dump()["heat_events"][0]["clock"] == 77.5


def test_a_journal_from_a_newer_version_is_refused(data_dir: Path) -> None:
    Journal.open(data_dir).close()
    with contextlib.closing(sqlite3.connect(data_dir / DB_NAME)) as db:
        db.execute("UPDATE schema_version SET version = 99")
        db.commit()
    with pytest.raises(StorageError, match="newer checkin") as caught:
        Journal.open(data_dir)
    assert "\n" not in str(caught.value)


def test_a_file_that_is_not_a_journal_is_refused_and_kept(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / DB_NAME).write_bytes(b"not sqlite at all, but someone's file" * 100)
    with pytest.raises(StorageError, match="not a checkin journal"):
        Journal.open(data_dir)
    assert (data_dir / DB_NAME).read_bytes().startswith(b"not sqlite")


def test_open_existing_creates_nothing(data_dir: Path) -> None:
    assert Journal.open_existing(data_dir) is None
    assert not data_dir.exists()


def test_the_seed_records_land_in_the_session_summary_and_history(journal: Journal) -> None:
    from assistant.flow.events import Activity, ActivityCheck, Adjustment, Plan, Support
    from assistant.journal.history import session_block
    from assistant.journal.rows import SavedActivity

    sid = journal.begin_session("weekly", sample.PARTNERS, T0)
    journal.record(sid, Activity("Joon", "a pottery class", date(2024, 4, 21), 1.0), T0)
    journal.record(sid, Support("Min-ji", "ask me how the exam went", 2.0), T0)
    journal.record(sid, Plan("Joon", "I call when I'm late", 3.0), T0)
    journal.end_session(sid, "completed", T0 + timedelta(minutes=40))
    stopped = journal.begin_session("weekly", sample.PARTNERS, T0 + timedelta(days=1))
    journal.end_session(stopped, "stopped", T0 + timedelta(days=1, minutes=5))
    assert journal.completed_checkins() == 1  # a stopped check-in does not turn the tips
    later = T0 + timedelta(days=14)
    review = journal.begin_session("review", sample.PARTNERS, later)
    planned = journal.activity_to_follow_up()
    assert planned is not None
    journal.record(review, ActivityCheck(planned.id, False, 5.0), later)
    journal.record(review, Adjustment("Min-ji", "pottery moves to May", 6.0), later)
    weekly, _, reviewed = journal.sessions()
    assert weekly.activities == (SavedActivity("a pottery class", date(2024, 4, 21), False),)
    assert (weekly.plans, weekly.support_wishes) == (("I call when I'm late",), 1)
    assert reviewed.adjustments == ("pottery moves to May",)
    block = session_block(weekly)
    assert "  shared activity: a pottery class, by 21 Apr 2024 (it did not happen)" in block
    assert "  plans agreed: I call when I'm late" in block
    assert "  support wishes saved: 1" in block
    assert journal.plans_to_review() == ["I call when I'm late", "pottery moves to May"]
