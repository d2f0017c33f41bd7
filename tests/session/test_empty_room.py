"""An empty room stays silent: a whole hands-free weekly check-in in which nobody speaks.

The real `checkin run` in the PulseAudio room, at its harshest: the room is idle when
the check-in starts (the sound server wakes the card for the welcome, which is when
the streams' timestamps are least reliable), and the assistant's voice comes back
from two walls, 150 and 400 ms late at -12 dB. Everything is answered by keyboard, so
any speech, utterance, caption, spoken command or raised voice in the trace is the
assistant hearing itself. The voice is the one an English check-in uses: the warm voice
(Piper), played sentence by sentence. The same run is traced with strace: no IPv4 or IPv6 socket
may be opened, hands-free included (onnxruntime's telemetry is off). Repeated runs,
with and without a busy core: scripts/eval_empty_room.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.audio.speech_voices import JOE, installed_at
from speechlab import room as room_module
from speechlab.empty_room import run_empty_weekly
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
    run = run_empty_weekly(walled_room, tmp_path, strace=True)
    assert run.prompts >= 35, "the check-in did not go through the whole guide"
    assert run.heard == [], "the assistant heard itself:\n" + "\n".join(run.heard)
    assert run.echo_seconds > 0.0, "the walls' echo never reached the gate's echo check"
    assert run.network == [], "a network socket was opened:\n" + "\n".join(run.network)
    if installed_at(JOE) is not None:  # English: the warm voice, sentence by sentence
        assert run.voice == "joe (Piper neural voice)"
