"""webrtcvad (package webrtcvad-wheels): the fast, lighter alternative detector.

Kept because it is the baseline of the measurement in docs/hearing.md and a
fallback when the Silero weights are missing. It marks broadband noise as speech,
so `LevelGate` can be put in front of any detector to demand a level clearly above
the room's noise floor.
"""

from __future__ import annotations

import numpy as np

from assistant.audio.activity import VoiceActivity
from assistant.audio.frames import RATE, AudioChunk
from assistant.audio.levels import FRAME, NoiseFloor, frame_dbfs


class WebRtcVoiceActivity:
    """webrtcvad on 10 ms frames; `mode` 0 (lenient) … 3 (strict)."""

    latency_seconds = 0.0  # it judges each 10 ms frame on its own

    def __init__(self, mode: int = 2) -> None:
        import webrtcvad

        self._vad = webrtcvad.Vad(mode)
        self.mode = mode
        self.reset()

    def reset(self) -> None:
        self._pending = np.zeros(0, dtype=np.int16)
        self.speaking = False

    def is_speech(self, chunk: AudioChunk) -> bool:
        data = (
            np.concatenate([self._pending, chunk.samples]) if len(self._pending) else chunk.samples
        )
        usable = len(data) // FRAME * FRAME
        for i in range(0, usable, FRAME):
            self.speaking = self._vad.is_speech(data[i : i + FRAME].tobytes(), RATE)
        self._pending = data[usable:]
        return self.speaking


class LevelGate:
    """Speech only when `inner` says so AND the level is `gate_db` above the noise floor."""

    def __init__(self, inner: VoiceActivity, gate_db: float = 9.0) -> None:
        self.inner = inner
        self.gate_db = gate_db
        self.floor = NoiseFloor()
        self.latency_seconds: float = getattr(inner, "latency_seconds", 0.0)

    def reset(self) -> None:
        self.inner.reset()
        self.floor = NoiseFloor()

    def is_speech(self, chunk: AudioChunk) -> bool:
        levels = frame_dbfs(chunk.samples)
        level = float(levels.max()) if len(levels) else -100.0
        floor = self.floor.db if self.floor.db is not None else level
        speech = self.inner.is_speech(chunk) and level >= floor + self.gate_db
        if not speech and len(levels):
            self.floor.update(float(levels.mean()), chunk.seconds)
        return speech
