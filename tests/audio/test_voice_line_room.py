"""The assistant's output line in the room: one stream for many sounds, and back after
the device goes away (real PortAudio through PulseAudio)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from assistant.audio.capture import MicrophoneCapture
from assistant.audio.gate import VoiceTimeline
from assistant.audio.voice_line import VoiceLine
from speechlab.room import INPUT_DEVICE, OUTPUT_DEVICE, Room
from tests.support.signals import Recorder

pytestmark = pytest.mark.room

RATE = 16_000


def _tone(seconds: float, hz: float = 660.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (8000 * np.sin(2 * np.pi * hz * t)).astype(np.int16)


def test_one_stream_plays_many_sounds_back_to_back(plugged_room: Room) -> None:
    timeline = VoiceTimeline()
    line = VoiceLine(OUTPUT_DEVICE, timeline)
    try:
        with Recorder(MicrophoneCapture(INPUT_DEVICE)) as room:
            spans = [line.play(_tone(0.3), RATE) for _ in range(5)]
            line.wait_heard()
            assert time.monotonic() >= spans[-1][1]  # waited until the last one was heard
            time.sleep(0.3)
    finally:
        line.close()
    assert line.opened == 1
    assert timeline.spans() == spans
    for (start, end), (next_start, _) in zip(spans, spans[1:], strict=False):
        assert 0.29 < end - start < 0.35
        assert 0 <= next_start - end < 0.1  # the next sound follows without a real gap
    for start, end in spans:
        assert room.level(start + 0.05, end - 0.05) > -25  # each one was heard in the room
    assert room.level(spans[-1][1] + 0.1, spans[-1][1] + 0.3) < -60  # then silence


def test_the_line_fails_one_sound_when_the_device_goes_then_reopens(plugged_room: Room) -> None:
    timeline = VoiceTimeline()
    line = VoiceLine(OUTPUT_DEVICE, timeline)
    try:
        line.play(_tone(0.2), RATE)
        plugged_room.unplug()
        try:
            began = time.monotonic()
            with pytest.raises(RuntimeError, match="output device stopped"):
                line.play(_tone(0.2), RATE, margin=1.0)
            assert time.monotonic() - began < 3.0  # bounded, never a hang
            assert not timeline.speaking  # the failed sound's span is closed
        finally:
            plugged_room.plug()
        with Recorder(MicrophoneCapture(INPUT_DEVICE)) as room:
            start, end = line.play(_tone(0.4), RATE)
            line.wait_heard()
            time.sleep(0.2)
        assert line.opened == 2
        assert room.level(start + 0.05, end - 0.05) > -25
    finally:
        line.close()
