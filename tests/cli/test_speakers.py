"""`--speakers` from the command line: the consent is asked once, spoken and typed alike
(here typed, in a subprocess), kept in the journal; the prompt voices moved from `checkin
voices` to `checkin speech list`, and the old spelling says so."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from assistant.journal.paths import DB_NAME
from assistant.journal.store import Journal
from tests.support.cli import checkin

SCRIPT_YES = "yes\nyes\nyes\nyes\ndone\ndone\nnext\nnext\n"


def test_a_typed_checkin_with_speakers_asks_once_and_keeps_the_answers(tmp_path: Path) -> None:
    first = checkin("run", "--text", "--guide", "daily", "--names", "Ana,Ben", "--speakers",
                    data_dir=tmp_path, stdin=SCRIPT_YES)
    assert first.returncode == 0, first.stderr
    assert "Ana, may I learn how your voice sounds, to tell you two apart? It stays on this " \
        "computer. Type yes, or no." in first.stdout
    assert "Thank you both. I'll learn your voices as you talk." in first.stdout
    assert "a typed check-in hears no voice, so --speakers learns nothing today" in first.stderr
    with Journal.open(tmp_path) as journal:
        assert journal.voice_consent(("Ana", "Ben")) == {"Ana": True, "Ben": True}
        assert journal.voice_profiles() == []
    second = checkin("run", "--text", "--guide", "daily", "--names", "Ana,Ben", "--speakers",
                     data_dir=tmp_path, stdin="yes\nyes\ndone\ndone\nnext\nnext\n")
    assert second.returncode == 0, second.stderr
    assert "may I learn" not in second.stdout  # answered once: not asked again
    assert "[check-in ended: completed]" in second.stdout


def test_without_speakers_nobody_is_asked(tmp_path: Path) -> None:
    run = checkin("run", "--text", "--guide", "daily", "--names", "Ana,Ben",
                  data_dir=tmp_path, stdin="yes\nyes\ndone\ndone\nnext\nnext\n")
    assert run.returncode == 0, run.stderr
    assert "may I learn" not in run.stdout
    with Journal.open(tmp_path) as journal:
        assert journal.voice_consent(("Ana", "Ben")) == {}


def test_a_bad_interruption_limit_is_one_clear_line(tmp_path: Path) -> None:
    run = checkin("run", "--text", "--names", "Ana,Ben", "--interruption-seconds", "0",
                  data_dir=tmp_path)
    assert run.returncode != 0
    assert run.stderr.strip() == "checkin: --interruption-seconds must be greater than zero, " \
        "got 0.0"


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_speech_list_shows_the_prompt_voices_and_the_old_spelling_names_it(
        tmp_path: Path) -> None:
    env = {**os.environ, "CHECKIN_HOME": str(tmp_path), "PYTHONUTF8": "1"}
    listed = checkin("speech", "list", "english", env=env)
    assert listed.returncode == 0, listed.stderr
    assert "gmw/en-us" in listed.stdout and "pyttsx3" in listed.stdout
    assert "Choose one with:" in listed.stdout
    assert not (tmp_path / DB_NAME).exists()  # listing never touches the journal
    for old in (["voices", "english"], ["voices"]):
        moved = checkin(*old, env=env)
        assert moved.returncode == 2 and moved.stdout == ""
        [line] = moved.stderr.splitlines()
        assert "speech list" in line and "enroll, forget, list" in line


def test_a_resumed_checkin_keeps_what_the_listener_said(tmp_path: Path) -> None:
    from datetime import datetime, timezone

    from assistant.flow.events import TurnRecord
    from assistant.session.plan import plan_checkin
    from assistant.settings import Settings

    at = datetime(2026, 12, 3, 19, 0, tzinfo=timezone.utc)
    with Journal.open(tmp_path) as journal:
        sid = journal.begin_session("daily", ("Ana", "Ben"), at)
        journal.record(sid, TurnRecord("sharing", "Ana", 180, 170, 100.0, "time", 12.0, 1, 4.0),
                       at)
        plan = plan_checkin(Settings(resume=True, typed=True, speakers=True), journal)
    [turn] = plan.context.earlier_turns
    assert (turn.listener_speech, turn.interruptions, turn.interrupted_seconds) == (12, 1, 4)
    assert plan.context.ask_voice_consent  # --speakers, and nobody has answered yet



def test_voices_list_names_whose_profile_is_kept_never_its_numbers(tmp_path: Path) -> None:
    from datetime import datetime, timezone

    at = datetime(2026, 12, 3, 19, 0, tzinfo=timezone.utc)
    none = checkin("voices", "list", data_dir=tmp_path)
    assert none.returncode == 0 and "no voice profiles" in none.stdout
    assert not (tmp_path / DB_NAME).exists()  # listing never makes a journal
    with Journal.open(tmp_path) as journal:
        for name in ("Ana", "Ben"):
            journal.answer_voice_consent(name, True, at)
        journal.save_voice_profile(("Ana", "Ben"), "Ana", "cepstral", 1, b"\x01" * 640, at)
    listed = checkin("voices", "list", data_dir=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "Ana" in listed.stdout and "cepstral v1, 640 bytes of numbers" in listed.stdout
    assert "Ben " not in listed.stdout and "voices forget" in listed.stdout
