"""The processor's events on a recording with exactly known gaps, and `analyze`."""

from __future__ import annotations

import json

import pytest

from assistant.audio.frames import chunks
from assistant.audio.hearing import BATCH_SAMPLES, Hearing, HearingSettings
from assistant.audio.vad_silero import SileroVoiceActivity
from assistant.cli import main
from assistant.flow.events import SpeechEnded, SpeechStarted
from speechlab.recordings import AUDIO, load, reference_spans

pytestmark = pytest.mark.usefixtures("shared_audio")
COMPOSITE = "composite_turns_known_gaps"


def events_of(settings: HearingSettings) -> list[object]:
    hearing = Hearing(SileroVoiceActivity(), settings)
    events: list[object] = []
    for chunk in chunks(load(COMPOSITE), 0.02):
        events += hearing.feed(chunk).events
    return events + hearing.finish()


def test_speech_events_pair_up_and_start_where_the_reference_starts() -> None:
    events = events_of(HearingSettings())
    starts = [e.audio_time for e in events if isinstance(e, SpeechStarted)]
    ends = [e for e in events if isinstance(e, SpeechEnded)]
    spans = reference_spans(COMPOSITE)
    assert len(starts) == len(ends) == len(spans)
    for start, end, (ref_start, ref_end) in zip(starts, ends, spans, strict=True):
        assert abs(start - ref_start) <= 0.1 and abs(end.audio_time - ref_end) <= 0.1
        assert end.seconds == pytest.approx(end.audio_time - start, abs=1e-3)


def test_set_partner_closes_the_open_segment_for_the_ledger() -> None:
    hearing = Hearing(SileroVoiceActivity())
    hearing.set_partner(0)
    samples = load("librivox_ss_0870")
    half = len(samples) // 2
    for chunk in chunks(samples[:half], 0.02):
        hearing.feed(chunk)
    ended = hearing.set_partner(1)
    for chunk in chunks(samples[half:], 0.02, half / 16_000):
        hearing.feed(chunk)
    hearing.finish()
    assert len(ended) == 1 and isinstance(ended[0], SpeechEnded)
    assert hearing.speech_seconds_of(0) > 2 and hearing.speech_seconds_of(1) > 2


def test_analyze_prints_the_same_segments_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(AUDIO / f"{COMPOSITE}.wav"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["detector"] == "silero"
    assert len(report["segments"]) == 9
    assert report["speech_seconds"] == pytest.approx(13.9, abs=0.7)
    assert report["noise_floor_db"] == pytest.approx(-55, abs=2)  # the composite's floor
    assert report["voice_raised"] == []


def test_analyze_of_a_missing_file_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "no-such.wav"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_the_detector_answer_is_current_for_every_chunk_and_events_are_prompt() -> None:
    # Frame bookkeeping runs once per BATCH_SAMPLES, but what recognition reads
    # (`voiced`) must be the detector's answer after this very chunk.
    hearing = Hearing(SileroVoiceActivity())
    alone = SileroVoiceActivity()
    lateness = []
    for chunk in chunks(load(COMPOSITE), 0.02):
        heard = hearing.feed(chunk)
        assert heard.voiced == alone.is_speech(chunk)
        lateness += [chunk.end - e.audio_time for e in heard.events if isinstance(e, SpeechEnded)]
    # An end is known after the hangover (0.15 s) and the detector's own delay;
    # batching may add at most BATCH_SAMPLES of audio.
    assert lateness and max(lateness) <= 0.15 + 0.1 + BATCH_SAMPLES / 16_000


def test_speech_heard_before_a_turn_change_belongs_to_the_turn_before() -> None:
    samples = load("librivox_ss_0870")
    cut = len(samples) // 2 + 37  # not a multiple of a chunk, a frame or a batch
    whole = Hearing(SileroVoiceActivity())
    whole.set_partner(0)
    for chunk in chunks(samples[:cut], 0.02):
        whole.feed(chunk)
    whole.finish()
    switched = Hearing(SileroVoiceActivity())
    switched.set_partner(0)
    for chunk in chunks(samples[:cut], 0.02):
        switched.feed(chunk)
    switched.set_partner(1)
    assert switched.speech_seconds_of(0) == pytest.approx(whole.speech_seconds_of(0), abs=1e-9)
