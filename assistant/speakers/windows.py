"""Stretches of speech, cut into windows to judge, from the hearing's own decisions.

No second voice-activity detector: the caller passes each chunk with the hearing's
`voiced` answer for it. A stretch ends after `pause_seconds` without speech, and a
window never reaches back across a pause, because a change of speaker almost always
follows one. Each window labels the speech that is new since the last one (`fresh`),
judged with up to `window_seconds` of the stretch so far, so a decision is never
later than one hop after the speech it labels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.audio.frames import RATE, AudioChunk


@dataclass(frozen=True)
class Window:
    start: float  # the fresh speech this window labels, in audio time
    end: float
    samples: np.ndarray  # the stretch's speech up to `end` (at most window_seconds)
    fresh: int  # how many of the last samples are new in this window
    decided_at: float  # audio time at which the window was complete
    stretch: int  # which stretch of speech it belongs to


@dataclass(frozen=True)
class WindowSettings:
    window_seconds: float = 1.0
    hop_seconds: float = 0.5
    pause_seconds: float = 0.3
    min_seconds: float = 0.3  # a stretch shorter than this ("mm") is never judged


class SpeechWindows:
    """Feed chunks in order with the hearing's voiced flag; collect windows."""

    def __init__(self, settings: WindowSettings | None = None) -> None:
        self.settings = settings or WindowSettings()
        self._keep = int(self.settings.window_seconds * RATE)
        self._hop = int(self.settings.hop_seconds * RATE)
        self._parts: list[np.ndarray] = []
        self._held = 0  # samples in _parts
        self._fresh = 0
        self._fresh_start = 0.0
        self._total = 0  # samples in the open stretch
        self._last_end = 0.0
        self._silence = 0.0
        self._open = False
        self.stretches = 0

    def feed(self, chunk: AudioChunk, voiced: bool) -> list[Window]:
        if chunk.is_assistant or not voiced:
            if not self._open:
                return []
            self._silence += chunk.seconds
            if chunk.is_assistant or self._silence >= self.settings.pause_seconds:
                return self._close(chunk.end)
            return []
        if not self._open:
            self._open, self._total, self._fresh = True, 0, 0
            self._parts, self._held = [], 0
            self._fresh_start = chunk.start
        self._silence = 0.0
        self._parts.append(chunk.samples)
        self._held += len(chunk.samples)
        self._fresh += len(chunk.samples)
        self._total += len(chunk.samples)
        self._last_end = chunk.end
        if self._fresh >= self._hop:
            return [self._emit(chunk.end, chunk.end)]
        return []

    def finish(self, now: float | None = None) -> list[Window]:
        return self._close(self._last_end if now is None else now) if self._open else []

    def _close(self, now: float) -> list[Window]:
        self._open = False
        long_enough = self._total >= self.settings.min_seconds * RATE
        out = [self._emit(self._last_end, now, closing=True)] if self._fresh and long_enough else []
        self.stretches += 1
        return out

    def _emit(self, end: float, now: float, closing: bool = False) -> Window:
        data = np.concatenate(self._parts)[-self._keep :]
        self._parts, self._held = [data], len(data)
        window = Window(
            start=self._fresh_start,
            end=end,
            samples=data,
            fresh=min(self._fresh, len(data)),
            decided_at=now,
            stretch=self.stretches,
        )
        self._fresh, self._fresh_start = 0, end
        if closing:
            self._parts, self._held = [], 0
        return window
