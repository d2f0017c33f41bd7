"""The virtual room itself: what is played into it can be recorded back."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from speechlab.room import Room

pytestmark = pytest.mark.room


def test_a_played_tone_is_recorded_and_unplugging_removes_the_source(plugged_room: Room) -> None:
    t = np.arange(16_000) / 16_000
    tone = (8000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16)
    playback = plugged_room.play(tone, at=time.monotonic() + 0.2)
    heard = plugged_room.record(1.6)
    playback.wait()
    loud = np.abs(heard.astype(np.float32)) > 2000
    assert 0.8 < loud.mean() * 1.6 < 1.1  # about one second of tone came back
    plugged_room.unplug()
    try:
        assert "room.monitor" not in plugged_room.pactl("list", "short", "sources")
    finally:
        plugged_room.plug()
    assert "room.monitor" in plugged_room.pactl("list", "short", "sources")


def test_wav_files_play_into_the_room(plugged_room: Room, shared_audio: Path) -> None:
    playback = plugged_room.play(shared_audio / "ps_goforward.wav")
    heard = plugged_room.record(1.0)
    playback.stop()
    assert np.abs(heard).max() > 1000
