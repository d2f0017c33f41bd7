"""Rising voices on escalations built from real recordings, and none in calm speech.

The calm passage is the LibriVox reader (one voice, ~22 s of speech: enough to
learn the baseline); the escalation is the same passage replayed louder. Latency
and false alarms per hour are printed (run with -s) for docs/hearing.md.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from assistant.audio.frames import RATE, AudioChunk, chunks
from assistant.audio.hearing import Hearing, HearingSettings
from assistant.audio.vad_silero import SileroVoiceActivity
from assistant.flow.events import SpeechEnded, VoiceRaised
from tests.support.recordings import LIBRIVOX, calm_recordings, hear_as_session, load

pytestmark = pytest.mark.usefixtures("shared_audio")
READER = 1  # the partner index the session would give the LibriVox reader


def louder(samples: np.ndarray, db: float) -> np.ndarray:
    scaled = samples.astype(np.float64) * 10 ** (db / 20)
    return np.clip(np.rint(scaled), -32768, 32767).astype(np.int16)


def calm_passage() -> np.ndarray:
    return np.concatenate([load(f"librivox_ss_{n}") for n in LIBRIVOX])


def escalate(db: float, sensitivity: str = "medium") -> tuple[list[VoiceRaised], float]:
    """Calm passage, then the same passage `db` louder; events and the rise time."""
    calm = calm_passage()
    hearing = Hearing(SileroVoiceActivity(), HearingSettings(sensitivity=sensitivity))
    hearing.set_partner(READER)
    for chunk in chunks(np.concatenate([calm, louder(calm, db)]), 0.02):
        hearing.feed(chunk)
    hearing.finish()
    return hearing.detector.events, len(calm) / RATE


def test_ten_db_louder_is_detected_within_two_seconds_once() -> None:
    events, rise = escalate(10.0)
    assert len(events) == 1, events  # a 25 s outburst is one suggestion
    latency = events[0].audio_time - rise
    assert 0 < latency <= 2.0
    assert events[0].partner == READER
    assert events[0].level_db - events[0].baseline_db >= 9.0
    print(f"\nrise +10 dB detected after {latency:.2f} s")


def test_four_db_louder_is_not_a_rise_at_default_sensitivity() -> None:
    events, _ = escalate(4.0)
    assert events == []


def test_sensitivity_orders_the_thresholds() -> None:
    # +8 dB: medium sees it, low does not; +4 dB: only high.
    assert len(escalate(8.0, "medium")[0]) == 1
    assert escalate(8.0, "low")[0] == []
    assert len(escalate(4.0, "high")[0]) == 1


def test_calm_recordings_alone_and_concatenated_never_rise() -> None:
    names = calm_recordings()
    seconds = 0.0
    for name in names:
        hearing = hear_as_session([name], SileroVoiceActivity())
        assert hearing.detector.events == [], name
        seconds += len(load(name)) / RATE
    orders = [names, names[::-1], random.Random(2).sample(names, len(names))]
    for order in orders:
        hearing = hear_as_session(order, SileroVoiceActivity())
        assert hearing.detector.events == [], order
        seconds += sum(len(load(n)) for n in order) / RATE
    assert seconds > 360  # several minutes of calm speech in all
    print(f"\nfalse alarms: 0 in {seconds / 60:.1f} min of calm audio (0 per hour)")


def test_the_assistants_own_voice_is_ignored_for_everything() -> None:
    """A loud burst marked is_assistant (the gate's mark) is no speech and no rise."""
    calm = calm_passage()
    hearing = Hearing(SileroVoiceActivity())
    hearing.set_partner(READER)
    events = []
    for chunk in chunks(calm, 0.02):
        events += hearing.feed(chunk).events
    calm_speech = hearing.speech_seconds
    start = len(calm) / RATE
    for chunk in chunks(louder(calm, 12.0), 0.02, start):
        heard = hearing.feed(AudioChunk(chunk.samples, chunk.start, is_assistant=True))
        assert heard.level_db is None and not heard.speaking
        events += heard.events
    events += hearing.finish()
    assert hearing.detector.events == []
    assert hearing.speech_seconds == calm_speech
    assert sum(e.seconds for e in events if isinstance(e, SpeechEnded)) == pytest.approx(
        calm_speech
    )
