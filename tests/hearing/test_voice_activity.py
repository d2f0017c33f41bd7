"""Voice activity and speech time against the reference speech of real recordings.

The figures are the ones the issue sets (docs/hearing.md has the full table from
scripts/eval_hearing.py, which uses the same scoring code).
"""

from __future__ import annotations

import pytest

from assistant.audio.vad_silero import SileroVoiceActivity
from speechlab.recordings import (
    NOISE_ONLY,
    hear,
    load,
    noise_after_quiet,
    piece_spans,
    score,
)

pytestmark = pytest.mark.usefixtures("shared_audio")


def test_phone_call_precision_and_recall_reach_095() -> None:
    s = score("two_speakers_phone_sample", SileroVoiceActivity)
    assert s.precision >= 0.95 and s.recall >= 0.95, s


def test_every_silence_of_the_composite_is_found_within_100_ms() -> None:
    s = score("composite_turns_known_gaps", SileroVoiceActivity)
    assert s.gaps == 8
    assert s.gaps_found == s.gaps, s


def test_a_noise_burst_is_not_speech_alone_or_after_a_quiet_room() -> None:
    assert hear(load(NOISE_ONLY), SileroVoiceActivity()).segments == []
    assert hear(noise_after_quiet(), SileroVoiceActivity()).segments == []


@pytest.mark.parametrize("name", ["two_speakers_phone_sample", "composite_turns_known_gaps"])
def test_speech_time_within_5_percent_on_referenced_recordings(name: str) -> None:
    s = score(name, SileroVoiceActivity)
    assert abs(s.speech_error) <= 0.05, s


def test_speech_time_within_5_percent_on_each_piece_of_the_composite() -> None:
    errors = {}
    for name, spans in piece_spans().items():
        reference = sum(end - start for start, end in spans)
        errors[name] = hear(load(name), SileroVoiceActivity()).speech_seconds / reference - 1
    assert len(errors) == 7
    assert all(abs(e) <= 0.05 for e in errors.values()), errors


def test_chunk_size_does_not_change_what_is_heard() -> None:
    samples = load("composite_turns_known_gaps")
    small = hear(samples, SileroVoiceActivity(), chunk_seconds=0.01).segments
    large = hear(samples, SileroVoiceActivity(), chunk_seconds=0.1).segments
    assert len(small) == len(large) == 9
    for a, b in zip(small, large, strict=True):
        assert (a.start, a.end) == pytest.approx((b.start, b.end), abs=1e-6)
