"""Chimes: short, soft and distinct for each moment."""

from __future__ import annotations

import numpy as np

from assistant.audio.chimes import CHIMES, LEVEL, NOTE_SECONDS, chime_samples


def dominant_hz(samples: np.ndarray, rate: int = 16_000) -> float:
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64)))
    return float(np.argmax(spectrum) * rate / len(samples))


def test_each_chime_plays_its_notes_softly_and_briefly() -> None:
    for kind, notes in CHIMES.items():
        samples = chime_samples(kind)
        n = int(NOTE_SECONDS * 16_000)
        assert len(samples) == n * len(notes)
        assert np.abs(samples).max() <= LEVEL * 32767 + 1
        assert abs(samples[0]) < 50 and abs(samples[-1]) < 50  # no click at either end
        heard = [dominant_hz(samples[i * n : (i + 1) * n]) for i in range(len(notes))]
        assert heard == [round(f / 16_000 * n) * 16_000 / n for f in notes]


def test_an_unknown_chime_is_the_turn_chime() -> None:
    assert np.array_equal(chime_samples("fanfare"), chime_samples("turn"))
