"""Voices told apart, in the journal: per-voice speech and interruptions per turn, the
consent answers, the profiles (kept only after both yeses) and `checkin voices forget`."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from assistant.errors import StorageError
from assistant.flow.events import TurnRecord, VoiceConsent
from assistant.journal.export import everything_json
from assistant.journal.history import history_text
from assistant.journal.paths import DB_NAME
from assistant.journal.report import build_report_data, render_figure
from assistant.journal.schema import CURRENT_VERSION, V4, migrate
from assistant.journal.store import Journal
from tests.support.cli import checkin
from tests.support.journal_v1 import make_v1_journal

AT = datetime(2026, 12, 3, 19, 0, tzinfo=timezone.utc)
PAIR = ("Ana", "Ben")
# a profile's numbers: a pattern that occurs nowhere else, to look for in the raw file
PROFILE = bytes(range(256)) * 8 + b"ANA-VOICE-PROFILE-END"


def a_checkin_with_voices(journal: Journal) -> int:
    sid = journal.begin_session("weekly", PAIR, AT)
    journal.record(sid, TurnRecord("sharing", "Ana", 300, 290, 200.0, "time", 30.0, 2, 9.5), AT)
    journal.record(sid, TurnRecord("sharing", "Ben", 300, 250, 180.0, "done", 4.0, 0, 0.0), AT)
    journal.end_session(sid, "completed", AT)
    return sid


def test_turns_keep_the_listeners_speech_and_the_interruptions(journal: Journal) -> None:
    sid = a_checkin_with_voices(journal)
    turns = journal.turns(sid)
    assert [(t.partner, t.speech, t.listener_speech, t.interruptions, t.interrupted_seconds)
            for t in turns] == [("Ana", 200.0, 30.0, 2, 9.5), ("Ben", 180.0, 4.0, 0, 0.0)]
    [summary] = journal.sessions()
    # what each said in the other's turns is theirs
    assert summary.speech == {"Ana": 204.0, "Ben": 210.0}
    assert summary.interjected == {"Ana": 4.0, "Ben": 30.0}
    assert summary.interruptions == {"Ana": 2, "Ben": 0}
    text = history_text(journal.sessions(), [], date(2026, 12, 3))
    assert "  speech: Ana 3:24 · Ben 3:30 (allotted 5:00 each)" in text
    assert "  said during the other's turn: Ana 0:04 · Ben 0:30" in text
    assert "  interruptions: 2 in Ana's turns (0:10) · 0 in Ben's turns" in text


def test_without_attribution_history_shows_no_voice_lines(journal: Journal) -> None:
    sid = journal.begin_session("weekly", PAIR, AT)
    journal.record(sid, TurnRecord("sharing", "Ana", 300, 290, 200.0, "time"), AT)
    text = history_text(journal.sessions(), [], date(2026, 12, 3))
    assert "interruptions" not in text and "other's turn" not in text


def test_export_and_report_carry_the_interruptions(journal: Journal) -> None:
    a_checkin_with_voices(journal)
    data = json.loads(everything_json(journal, AT))
    turns = data["tables"]["turns"]
    assert [(t["listener_speech"], t["interruptions"], t["interrupted_seconds"])
            for t in turns] == [(30.0, 2, 9.5), (4.0, 0, 0.0)]
    assert data["sessions_summary"][0]["interruptions"] == {"Ana": 2, "Ben": 0}
    report = build_report_data(journal.sessions(), journal.heat_events(),
                               journal.appreciations())
    assert report.interruptions == (2,)
    heat = render_figure(report).axes[1]
    drawn = {c.get_label(): [float(v) for v in c.datavalues] for c in heat.containers}
    assert drawn["interruptions"] == [2.0]


def test_a_v4_journal_upgrades_with_every_row_and_no_interruptions(tmp_path: Path) -> None:
    path = make_v1_journal(tmp_path / "old")
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        assert migrate(db, target=V4.version) == 4
        before = db.execute("SELECT * FROM turns ORDER BY id").fetchall()
    with Journal.open(tmp_path / "old") as journal:
        assert journal.schema_version == CURRENT_VERSION
        with contextlib.closing(sqlite3.connect(path)) as db:
            after = db.execute("SELECT * FROM turns ORDER BY id").fetchall()
        assert after == [(*row, 0.0, 0, 0.0, 0, 0, 0) for row in before]  # v5, v7: 0
        first = journal.sessions()[0]
        assert first.speech == {"Joon": 250.5, "Min-ji": 290.0}  # as before the upgrade
        assert first.interruptions == {"Joon": 0, "Min-ji": 0}
        assert journal.voice_consent(("Joon", "Min-ji")) == {}
        assert journal.voice_profiles() == []


def test_a_profile_is_kept_only_after_both_said_yes(journal: Journal) -> None:
    sid = journal.begin_session("weekly", PAIR, AT)
    with pytest.raises(StorageError, match="only after both of you said yes"):
        journal.save_voice_profile(PAIR, "Ana", "mfcc-gmm", 1, PROFILE, AT)
    journal.record(sid, VoiceConsent("Ana", True, 1.0), AT)
    journal.record(sid, VoiceConsent("Ben", False, 2.0), AT)
    assert journal.voice_consent(PAIR) == {"Ana": True, "Ben": False}
    with pytest.raises(StorageError):
        journal.save_voice_profile(PAIR, "Ana", "mfcc-gmm", 1, PROFILE, AT)
    journal.record(sid, VoiceConsent("Ben", True, 3.0), AT)  # a later yes is the answer
    assert journal.voices_agreed(PAIR)
    journal.save_voice_profile(PAIR, "Ana", "mfcc-gmm", 1, b"old", AT)
    journal.save_voice_profile(PAIR, "Ana", "mfcc-gmm", 2, PROFILE, AT)  # replaces it
    [profile] = journal.voice_profiles()
    assert (profile.partner, profile.method, profile.version, profile.data) == (
        "Ana", "mfcc-gmm", 2, PROFILE)
    exported = everything_json(journal, AT)
    assert "ANA-VOICE-PROFILE-END" not in exported  # the export says it exists, not what
    assert json.loads(exported)["tables"]["voice_profiles"][0]["bytes"] == len(PROFILE)


def raw_bytes(folder: Path) -> bytes:
    """Everything SQLite has on disk for the journal: the file, its log and shared memory,
    and every backup of it."""
    found = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(f"{folder / DB_NAME}{suffix}")
        if path.exists():
            found += path.read_bytes()
    for path in (folder / "backups").glob("*"):
        found += path.read_bytes()
    return found


def test_voices_forget_removes_every_profile_from_the_file(data_dir: Path) -> None:
    with Journal.open(data_dir) as journal:
        sid = journal.begin_session("weekly", PAIR, AT)
        journal.record(sid, VoiceConsent("Ana", True, 1.0), AT)
        journal.record(sid, VoiceConsent("Ben", True, 2.0), AT)
        journal.save_voice_profile(PAIR, "Ana", "mfcc-gmm", 1, PROFILE, AT)
        journal.save_voice_profile(PAIR, "Ben", "mfcc-gmm", 1, PROFILE[::-1], AT)
        a_checkin_with_voices(journal)
        journal.back_up(AT)  # as after a check-in: the copy holds the profiles too
    assert (data_dir / "backups").is_dir()
    assert b"ANA-VOICE-PROFILE-END" in raw_bytes(data_dir)  # the test can see it at all
    done = checkin("voices", "forget", "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Deleted 2 voice profiles, and your answers about learning "
                                  "voices.")
    disk = raw_bytes(data_dir)
    assert b"ANA-VOICE-PROFILE-END" not in disk and b"DNE-ELIFORP-ECIOV-ANA" not in disk
    with Journal.open(data_dir) as journal:
        assert journal.voice_profiles() == []
        assert journal.voice_consent(PAIR) == {}  # they will be asked again
        assert len(journal.sessions()) == 2  # nothing else was touched
    again = checkin("voices", "forget", "--data-dir", str(data_dir))
    assert again.stdout.startswith("Deleted 0 voice profiles")


def test_voices_forget_without_a_journal_says_so(tmp_path: Path) -> None:
    done = checkin("voices", "forget", "--data-dir", str(tmp_path / "none"))
    assert done.returncode == 0
    assert done.stdout == "There is no journal yet, so no voice profiles to forget.\n"
    assert not (tmp_path / "none").exists()
