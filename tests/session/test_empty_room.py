"""An empty room stays silent: whole hands-free check-ins in which nobody speaks.

The real `checkin run` in the PulseAudio room, at its harshest: the room is idle when
the check-in starts (the sound server wakes the card for the welcome, which is when
the streams' timestamps are least reliable), and the assistant's voice comes back
from two walls, 150 and 400 ms late at -12 dB. Everything is answered by keyboard, so
any speech, utterance, caption, spoken command or raised voice in the trace is the
assistant hearing itself. The daily check-in is said by the warm voice, English's
default, and traced with strace: no IPv4 or IPv6 socket may be opened, hands-free
included (onnxruntime's telemetry is off); the fallback voice (pyttsx3) says the
shortest check-in. The whole weekly guide, repeated, with and without a busy core:
scripts/eval_empty_room.py (its figures in docs/audio.md).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.audio.speech_voices import JOE, installed_at
from speechlab import room as room_module
from speechlab.empty_room import run_empty_daily, run_empty_declined
from speechlab.voices import espeak_missing

pytestmark = [pytest.mark.room, pytest.mark.slow]


@pytest.fixture
def walled_room(plugged_room: room_module.Room) -> room_module.Room:
    plugged_room.let_idle()
    plugged_room.add_walls(delays=(0.15, 0.4), gain_db=-12.0)
    yield plugged_room
    plugged_room.remove_walls()
    plugged_room.keep_awake()


def test_a_daily_checkin_in_an_empty_room_hears_nothing_and_opens_no_network_socket(
        walled_room: room_module.Room, tmp_path: Path) -> None:
    if installed_at(JOE) is None or espeak_missing():
        pytest.skip("the warm voice (joe) or espeak-ng is not installed")
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed (scripts/setup.sh --test installs it)")
    run = run_empty_daily(walled_room, tmp_path, strace=True)
    assert run.voice == "joe (Piper neural voice)"
    assert run.prompts >= 20, "the check-in did not go through the whole guide"
    assert run.heard == [], "the assistant heard itself:\n" + "\n".join(run.heard)
    assert run.echo_seconds > 0.0, "the walls' echo never reached the gate's echo check"
    assert run.network == [], "a network socket was opened:\n" + "\n".join(run.network)


def test_the_fallback_voice_in_an_empty_room_with_walls_is_not_heard(
        walled_room: room_module.Room, tmp_path: Path) -> None:
    if espeak_missing():
        pytest.skip(str(espeak_missing()))
    run = run_empty_declined(walled_room, tmp_path, voice="pyttsx3")
    assert run.voice.endswith("(pyttsx3)"), run.voice
    assert run.heard == [], "the assistant heard itself:\n" + "\n".join(run.heard)
