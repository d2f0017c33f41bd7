"""Upgrading a first-version journal keeps every row, and a failed upgrade changes nothing."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from assistant.errors import StorageError
from assistant.flow.events import Activity, ActivityCheck, Adjustment, Plan, Support
from assistant.journal.schema import CURRENT_VERSION, V2, V3, migrate
from assistant.journal.store import Journal
from tests.support.journal_v1 import V1_ROWS, make_v1_journal


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local days are derived from UTC times here; pin the zone so the dates are fixed."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def v1_columns(path: Path, table: str) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        names = [row[1] for row in db.execute(f"PRAGMA table_info({table})")][
            : len(V1_ROWS[table][0])
        ]
        return db.execute(f"SELECT {', '.join(names)} FROM {table} ORDER BY id").fetchall()


def test_v1_to_current_keeps_every_row(tmp_path: Path) -> None:
    path = make_v1_journal(tmp_path / "old")
    with Journal.open(tmp_path / "old") as journal:
        assert journal.schema_version == CURRENT_VERSION == 7
        for table, rows in V1_ROWS.items():
            assert v1_columns(path, table) == rows, table
        texts = {a.text for a in journal.appreciations()}
        assert texts == {'You "always" listen,\nthank you — 고마워', "the walk"}
        # v2 additions: nobody kept transcripts before; checkpoints for the newest agreement
        dump = journal.dump()
        assert {s["keep_transcript"] for s in dump["sessions"]} == {0}
        assert {s["typed"] for s in dump["sessions"]} == {0}  # v3: none was marked typed
        live = journal.review_checkpoints()
        done = [c.done_on.isoformat() if c.done_on else None for c in live]
        assert [(c.agreed_session_id, c.weeks, c.due_on.isoformat()) for c in live] == [
            (3, 2, "2024-04-07"),
            (3, 4, "2024-04-21"),
            (3, 8, "2024-05-19"),
        ]
        assert done == ["2024-04-08", None, None]  # the review of 8 April settled week 2
        retired = [c for c in dump["review_checkpoints"] if c["superseded_by"] is not None]
        assert {(c["agreed_session_id"], c["superseded_by"]) for c in retired} == {(1, 3)}
        assert journal.latest_rituals() == ["phones away at dinner"]
        unfinished = journal.unfinished_session()
        assert unfinished is not None and unfinished.last_step == "sharing"
        # v7: nothing was counted before, so no share of "I" statements is shown for it
        assert {(t["statements"], t["i_statements"], t["blame_phrases"])
                for t in dump["turns"]} == {(0, 0, 0)}
        assert dump["loved"] == [] and dump["patterns"] == []
        assert all(not any(s.statements.values()) for s in journal.sessions())


def test_a_failed_upgrade_leaves_version_1_untouched(tmp_path: Path) -> None:
    """v2 creates a `transcripts` table; a clashing one makes the upgrade fail half-way."""
    path = make_v1_journal(tmp_path / "old")
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE transcripts (x)")
        db.commit()
    with pytest.raises(StorageError, match="already exists"):
        Journal.open(tmp_path / "old")
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT version FROM schema_version").fetchall() == [(1,)]
        columns = [row[1] for row in db.execute("PRAGMA table_info(sessions)")]
        assert "keep_transcript" not in columns  # the ALTER TABLE was rolled back too
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "review_checkpoints" not in tables
    for table, rows in V1_ROWS.items():
        assert v1_columns(path, table) == rows


def test_v2_to_v3_marks_no_old_check_in_typed_and_keeps_every_row(tmp_path: Path) -> None:
    """v3 adds `sessions.typed`: a v2 journal upgrades with every row and value as it was,
    its check-ins counted as hands-free, and new typed check-ins are marked."""
    path = make_v1_journal(tmp_path / "old")
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        assert migrate(db, target=V2.version) == 2
        before = {t: db.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
                  for t in (*V1_ROWS, "review_checkpoints")}
    with Journal.open(tmp_path / "old") as journal:
        assert journal.schema_version == CURRENT_VERSION
        for table, rows in before.items():
            with contextlib.closing(sqlite3.connect(path)) as db:
                after = db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            width = len(rows[0]) if rows else 0
            assert [r[:width] for r in after] == rows, table
        summaries = journal.sessions()
        assert len(summaries) == 5 and not any(s.typed for s in summaries)
        assert summaries[0].speech == {"Joon": 250.5, "Min-ji": 290.0}
        new = journal.begin_session("daily", ("Joon", "Min-ji"), datetime.now(timezone.utc),
                                    typed=True)
        assert [s.typed for s in journal.sessions() if s.id == new] == [True]


def test_v3_to_v4_keeps_every_row_and_starts_the_new_tables_empty(tmp_path: Path) -> None:
    """v4 adds activities, support wishes, plans and adjustments: a v3 journal upgrades
    with every row as it was, nothing to follow up, and the new records then land."""
    path = make_v1_journal(tmp_path / "old")
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        assert migrate(db, target=V3.version) == 3
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'schema_version'")]
        columns = {t: [r[1] for r in db.execute(f"PRAGMA table_info({t})")] for t in tables}
        before = {t: db.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in tables}
    with Journal.open(tmp_path / "old") as journal:
        assert journal.schema_version == CURRENT_VERSION  # v4, and what came after it
        with contextlib.closing(sqlite3.connect(path)) as db:
            for table, rows in before.items():  # the v3 columns (later ones add columns)
                names = ", ".join(columns[table])
                assert db.execute(f"SELECT {names} FROM {table} ORDER BY id").fetchall() \
                    == rows, table
        dump = journal.dump()
        assert [dump[t] for t in ("activities", "support_wishes", "plans", "adjustments")] == [
            [], [], [], []]
        assert journal.activity_to_follow_up() is None
        assert journal.plans_to_review() == []
        assert journal.completed_checkins() == 4  # the old check-ins still turn the tips
        assert journal.latest_rituals() == ["phones away at dinner"]
        at = datetime(2024, 4, 20, 10, tzinfo=timezone.utc)
        sid = journal.begin_session("weekly", ("Joon", "Min-ji"), at)
        journal.record(sid, Activity("Joon", "a pottery class", date(2024, 5, 4), 10.0), at)
        journal.record(sid, Activity("Min-ji", "a long lunch", None, 11.0), at)  # no date given
        journal.record(sid, Support("Min-ji", "ask me about my exam", 12.0), at)
        journal.record(sid, Plan("Joon", "I text when I'm late", 13.0), at)
        latest = journal.activity_to_follow_up()
        assert latest is not None and (latest.text, latest.by) == ("a long lunch",
                                                                   date(2024, 5, 4))
        assert journal.plans_to_review() == ["I text when I'm late"]
        review = journal.begin_session("review", ("Joon", "Min-ji"), at)
        journal.record(review, ActivityCheck(latest.id, True, 20.0), at)
        journal.record(review, Adjustment("Min-ji", "text before leaving work", 21.0), at)
        assert journal.activity_to_follow_up() is None  # asked once; the older one was replaced
        assert journal.plans_to_review() == ["I text when I'm late", "text before leaving work"]
        assert journal.support_wishes() == [("Min-ji", "ask me about my exam")]
        checked = [(a["text"], a["happened"], a["checked_session_id"])
                   for a in journal.dump()["activities"]]
        assert checked == [("a pottery class", None, None), ("a long lunch", 1, review)]
        assert journal.items_kept(sid, "activity") == 2
        assert journal.items_kept(review, "adjustment") == 1
