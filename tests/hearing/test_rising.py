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
from assistant.audio.rising import RisingVoiceDetector
from assistant.audio.vad_silero import SileroVoiceActivity
from assistant.flow.events import SpeechEnded, VoiceRaised
from speechlab.recordings import LIBRIVOX, calm_recordings, hear_as_session, load

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


# Six minutes of calm speech, several times over: the thresholds are tested on short
# synthetic rises above and below them (the tests before this one).
@pytest.mark.slow
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


# ------------------------------------------------- voices told apart (run --speakers)

def db(level: float) -> float:
    return 10 ** (level / 10)


def calm_turns(detector: RisingVoiceDetector, ana_db: float, ben_db: float) -> float:
    """Ana's turn at her calm level, then Ben's at his: 21 s of 10 ms frames each, so
    both calm levels are learned. Returns the audio time after them."""
    t = 0.0
    for partner, level in ((0, ana_db), (1, ben_db)):
        for _ in range(2100):
            assert detector.observe(t, db(level), partner, voice=partner) is None
            t += 0.01
    return t


def raised_for(detector: RisingVoiceDetector, t: float, level: float, partner: int,
               voice: int | None, seconds: float = 4.0) -> list[VoiceRaised]:
    events = []
    for _ in range(int(seconds / 0.01)):
        event = detector.observe(t, db(level), partner, voice=voice)
        events += [event] if event else []
        t += 0.01
    return events


def test_a_quiet_partners_raised_voice_is_measured_against_her_own_calm_level() -> None:
    # Ana is calm at -40 dBFS, Ben at -28; in Ben's turn Ana rises to -30: +10 dB for her
    detector = RisingVoiceDetector()
    t = calm_turns(detector, -40.0, -28.0)
    events = raised_for(detector, t, -30.0, partner=1, voice=0)
    assert len(events) == 1 and events[0].baseline_db == pytest.approx(-40.0, abs=0.1)
    # without the voices told apart the same speech is under Ben's louder calm level
    blind = RisingVoiceDetector()
    t = calm_turns(blind, -40.0, -28.0)
    assert raised_for(blind, t, -30.0, partner=1, voice=None) == []


def test_the_louder_partner_talking_calmly_in_the_others_turn_is_no_rise() -> None:
    detector = RisingVoiceDetector()
    t = calm_turns(detector, -40.0, -28.0)
    assert raised_for(detector, t, -28.0, partner=0, voice=1) == []


def test_the_listeners_speech_does_not_teach_the_speakers_calm_level() -> None:
    detector = RisingVoiceDetector()
    t = 0.0
    for _ in range(2100):  # Ben talks through Ana's turn before she has said anything
        detector.observe(t, db(-28.0), 0, voice=1)
        t += 0.01
    assert detector.baseline_db(0) is None  # Ana's own level is still unknown
    assert detector.baseline_db(0, voice=1) == pytest.approx(-28.0, abs=0.1)


def test_the_hearing_keeps_a_voice_for_the_stretch_it_was_told_in_only() -> None:
    hearing = Hearing(SileroVoiceActivity())
    hearing.set_partner(0)
    hearing.set_voice(1)  # an answer about a stretch that has already ended
    assert hearing.voice is None
    calm = calm_passage()
    told = []
    for chunk in chunks(calm[: 4 * RATE], 0.02):
        if hearing.feed(chunk).speaking and not told:
            hearing.set_voice(1)
            told.append(hearing.voice)
    for chunk in chunks(np.zeros(RATE, dtype=np.int16), 0.02, start=4.0):
        hearing.feed(chunk)
    assert told == [1] and hearing.voice is None  # forgotten when the stretch ended


def test_a_quiet_reply_right_after_the_louder_partner_is_measured_alone() -> None:
    # Ben (calm -28) speaks, and Ana (calm -40) answers at her calm level without a pause:
    # the last 1.5 s mixes both, 10 dB over her calm level, but it is not her voice rising
    detector = RisingVoiceDetector()
    t = calm_turns(detector, -40.0, -28.0)
    assert raised_for(detector, t, -28.0, partner=0, voice=1, seconds=1.2) == []
    assert raised_for(detector, t + 1.2, -40.0, partner=0, voice=0) == []
