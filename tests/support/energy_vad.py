"""A voice activity detector for pure segmenter tests, and the synthetic tones and
silence it is deterministic on."""

from __future__ import annotations

import numpy as np

from assistant.audio.frames import RATE, AudioChunk


class EnergyVoiceActivity:
    """A tiny RMS threshold detector for the pure segmenter tests (deterministic on
    synthetic tones; the real detectors live in assistant/audio and are used with Vosk)."""

    def __init__(self, threshold: float = 500.0) -> None:
        self.threshold = threshold
        self.resets = 0

    def is_speech(self, chunk: AudioChunk) -> bool:
        if not len(chunk.samples):
            return False
        rms = float(np.sqrt(np.mean(chunk.samples.astype(np.float64) ** 2)))
        return rms >= self.threshold

    def reset(self) -> None:
        self.resets += 1


def tone(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (3000 * np.sin(2 * np.pi * 220 * t)).astype(np.int16)


def quiet(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), dtype=np.int16)
