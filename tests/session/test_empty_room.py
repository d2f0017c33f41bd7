"""An empty room stays silent: a whole hands-free weekly check-in in which nobody speaks.

The real `checkin run` in the PulseAudio room, at its harshest: the room is idle when
the check-in starts (the sound server wakes the card for the welcome, which is when
the streams' timestamps are least reliable), and the assistant's voice comes back
from two walls, 150 and 400 ms late at -12 dB. Everything is answered by keyboard, so
any speech, utterance, caption, spoken command or raised voice in the trace is the
assistant hearing itself. The same run is traced with strace: no IPv4 or IPv6 socket
may be opened, hands-free included (onnxruntime's telemetry is off). Repeated runs,
with and without a busy core: scripts/eval_empty_room.py.

The whole weekly check-in is said by pyttsx3 (espeak-ng) here. With the warm voice, the
default for English, the walls' echo still reaches the hearing as one 60 ms sound in
about one weekly check-in of three (2 of 7 measured, 2026-12-07; no utterance, caption
or command): an open defect (issue 25's note), so the warm voice's run is the short
check-in, expected to pass but not yet held to it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.audio.speech_voices import JOE, installed_at
from speechlab import room as room_module
from speechlab.empty_room import run_empty_declined, run_empty_weekly
from speechlab.voices import espeak_missing

pytestmark = [pytest.mark.room, pytest.mark.slow]


@pytest.fixture
def walled_room(plugged_room: room_module.Room) -> room_module.Room:
    plugged_room.let_idle()
    plugged_room.add_walls(delays=(0.15, 0.4), gain_db=-12.0)
    yield plugged_room
    plugged_room.remove_walls()
    plugged_room.keep_awake()


def test_a_weekly_checkin_in_an_empty_room_hears_nothing_and_opens_no_network_socket(
        walled_room: room_module.Room, tmp_path: Path) -> None:
    if espeak_missing():
        pytest.skip(str(espeak_missing()))
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed (scripts/setup.sh --test installs it)")
    run = run_empty_weekly(walled_room, tmp_path, strace=True, voice="pyttsx3")
    assert run.prompts >= 35, "the check-in did not go through the whole guide"
    assert run.heard == [], "the assistant heard itself:\n" + "\n".join(run.heard)
    assert run.echo_seconds > 0.0, "the walls' echo never reached the gate's echo check"
    assert run.network == [], "a network socket was opened:\n" + "\n".join(run.network)
    assert run.voice.endswith("(pyttsx3)"), run.voice


@pytest.mark.xfail(reason="the walls' echo of the warm voice reaches the hearing as a 60 ms "
                   "sound in about 1 weekly check-in of 3 (issue 25's note)", strict=False)
def test_the_warm_voice_in_an_empty_room_with_walls_is_not_heard(
        walled_room: room_module.Room, tmp_path: Path) -> None:
    if installed_at(JOE) is None or espeak_missing():
        pytest.skip("the warm voice (joe) or espeak-ng is not installed")
    run = run_empty_declined(walled_room, tmp_path)
    assert run.voice == "joe (Piper neural voice)"
    assert run.heard == [], "the assistant heard itself:\n" + "\n".join(run.heard)
