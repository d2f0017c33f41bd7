"""No self-hearing: captured audio that overlaps the assistant's own voice is marked.

The speech player writes, to a shared `VoiceTimeline`, the monotonic times at which
each prompt leaves the loudspeaker and ends. The gate marks every captured chunk
that may overlap such a span, extended by `tail` seconds, as `is_assistant=True`;
recognition, loudness statistics and talk time skip those chunks. A chunk's capture
time is a range (`captured_at`..`captured_by`, see capture.py), and the whole range
is judged: the two streams' clocks are estimates that disagree most when a device
wakes up, which is exactly when the welcome is spoken. The tail covers the
speaker-to-microphone path (buffers, room echo); its default comes from the
measurement in docs/audio.md. Pure logic: no audio library is imported here.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from assistant.audio.frames import AudioChunk

TAIL_SECONDS = 0.5  # a wall echo 400 ms late, plus unreported output latency; docs/audio.md
LEAD_SECONDS = 0.02  # start marking slightly early: timestamps jitter by about a block


class VoiceTimeline:
    """When the assistant's voice was (or will be) audible; shared across threads."""

    def __init__(self, keep: int = 64) -> None:
        self._spans: list[tuple[float, float | None]] = []
        self._keep = keep
        self._lock = threading.Lock()

    def begin(self, at: float) -> None:
        with self._lock:
            self._spans.append((at, None))
            del self._spans[: -self._keep]

    def end(self, at: float) -> None:
        with self._lock:
            if self._spans and self._spans[-1][1] is None:
                start = self._spans[-1][0]
                self._spans[-1] = (start, max(start, at))

    def spans(self) -> list[tuple[float, float | None]]:
        with self._lock:
            return list(self._spans)

    @property
    def speaking(self) -> bool:
        with self._lock:
            return bool(self._spans) and self._spans[-1][1] is None

    def overlaps(self, start: float, end: float, tail: float, lead: float = LEAD_SECONDS) -> bool:
        """True if [start, end) touches any voice span widened by `lead` before, `tail` after."""
        for span_start, span_end in self.spans():
            if span_end is None:
                if end > span_start - lead:
                    return True
            elif end > span_start - lead and start < span_end + tail:
                return True
        return False


class Gate:
    """Marks chunks heard while the assistant speaks (plus a tail) as the assistant's."""

    def __init__(self, timeline: VoiceTimeline, tail: float = TAIL_SECONDS) -> None:
        self.timeline = timeline
        self.tail = tail
        self.gated_seconds = 0.0

    def __call__(self, chunk: AudioChunk) -> AudioChunk:
        if chunk.captured_at is None or chunk.is_assistant:
            return chunk
        earliest = chunk.captured_at
        latest = max(earliest, chunk.captured_by if chunk.captured_by is not None else earliest)
        if not self.timeline.overlaps(earliest, latest + chunk.seconds, self.tail):
            return chunk
        self.gated_seconds += chunk.seconds
        return replace(chunk, is_assistant=True)
