"""How the transcriber hands segment audio to Vosk: in pieces while someone speaks,
at once when it goes quiet, and never a sample lost, repeated or reordered.

The recognizer here is a recorder standing in for Vosk: what is under test is the
feeding policy, which Vosk cannot report on. Vosk itself is fed this way in
test_vosk_korean.py (text and word times against bare Vosk).
"""

from __future__ import annotations

import numpy as np
import pytest

from assistant.asr.listener import SpeechTranscriber
from assistant.asr.results import Caption, Heard
from assistant.audio.frames import RATE, chunks
from tests.support.energy_vad import EnergyVoiceActivity, quiet, tone

CHUNK = int(0.02 * RATE)


class RecordingRecognizer:
    """Keeps every call the transcriber makes, in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, np.ndarray]] = []

    def begin(self, stream_time: float) -> None:
        self.calls.append(("begin", np.zeros(0, np.int16)))

    def accept(self, samples: np.ndarray, now: float) -> list[Heard | Caption]:
        self.calls.append(("accept", samples.copy()))
        return []

    def finish(self, speech: tuple[float, float] | None = None) -> list[Heard]:
        self.calls.append(("finish", np.zeros(0, np.int16)))
        return []

    def drop(self) -> None:
        self.calls.append(("drop", np.zeros(0, np.int16)))

    def idle(self, stream_time: float) -> list[Heard]:
        return []

    def pending(self) -> list[Heard]:
        return []

    def gather(self, on: bool) -> None:
        pass

    holding = False

    def pieces(self) -> list[np.ndarray]:
        return [samples for kind, samples in self.calls if kind == "accept"]


def feeding(audio: np.ndarray, vad: EnergyVoiceActivity, flush: bool = True):
    recorder = RecordingRecognizer()
    transcriber = SpeechTranscriber(None, vad, batch_seconds=0.5, recognizer=recorder)  # type: ignore[arg-type]
    for chunk in chunks(audio, 0.02):
        transcriber.feed(chunk)
    if flush:
        transcriber.flush()
    return recorder, transcriber


def test_speech_goes_in_half_second_pieces_and_the_quiet_tail_at_once(
    energy_vad: EnergyVoiceActivity,
) -> None:
    speech = tone(3.0) + np.int16(1)  # never exactly zero: every sample is traceable
    audio = np.concatenate([quiet(1.0), speech, quiet(2.0)])
    recorder, transcriber = feeding(audio, energy_vad)
    kinds = [kind for kind, _ in recorder.calls]
    assert kinds[0] == "begin" and kinds[-1] == "finish" and kinds.count("finish") == 1
    pieces = recorder.pieces()
    fed = np.concatenate(pieces)
    # exactly the segment: 0.3 s pre-roll + 3 s speech + 0.5 s hangover, in order
    start = int(0.7 * RATE)
    assert np.array_equal(fed, audio[start : start + len(fed)])
    assert abs(len(fed) / RATE - 3.8) < 0.03
    assert transcriber.fed_seconds == pytest.approx(len(fed) / RATE)
    loud = [p for p in pieces if np.abs(p[-CHUNK:]).max() > 500]  # fed while speaking
    assert len(loud) >= 6 and all(len(p) >= 0.5 * RATE for p in loud)
    # the first quiet chunk sends what was waiting; every later one goes alone, so
    # nothing is left to decode when the segment closes
    tail = pieces[len(loud) + 1 :]
    assert tail and all(len(p) == CHUNK for p in tail)


def test_a_short_phrase_is_fed_in_full_before_its_quick_close(
    energy_vad: EnergyVoiceActivity,
) -> None:
    audio = np.concatenate([quiet(1.0), tone(0.4) + np.int16(1), quiet(1.0)])
    recorder, _ = feeding(audio, energy_vad)
    fed = np.concatenate(recorder.pieces())
    start = int(0.7 * RATE)
    assert np.array_equal(fed, audio[start : start + len(fed)])
    assert abs(len(fed) / RATE - (0.3 + 0.4 + 0.12)) < 0.03
    assert [kind for kind, _ in recorder.calls][-2:] == ["accept", "finish"]


def test_flush_mid_sentence_feeds_what_waits_before_finishing(
    energy_vad: EnergyVoiceActivity,
) -> None:
    audio = np.concatenate([quiet(1.0), tone(0.5) + np.int16(1)])  # the stream stops mid-speech
    recorder, transcriber = feeding(audio, energy_vad, flush=False)
    assert [kind for kind, _ in recorder.calls] == ["begin", "accept"]  # 0.5 of 0.8 s sent
    transcriber.flush()
    assert [kind for kind, _ in recorder.calls][-2:] == ["accept", "finish"]
    fed = np.concatenate(recorder.pieces())
    assert np.array_equal(fed, audio[int(0.7 * RATE) :])
