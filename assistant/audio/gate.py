"""No self-hearing: captured audio that holds the assistant's own voice is marked.

The speech player writes, to a shared `VoiceTimeline`, the monotonic times at which
each prompt leaves the loudspeaker and ends, and what it sounded like. The gate marks
as `is_assistant=True` every captured chunk that

- may overlap such a span, extended by `tail` seconds (the speaker-to-microphone path:
  buffers, reverberation). A chunk's capture time is a range (`captured_at` to
  `captured_by`, see capture.py) and the whole range is judged: the two streams'
  clocks are estimates that disagree most when a device wakes up, which is exactly
  when the welcome is spoken;
- or, later, is the prompt's echo: a wall can send the voice back after the tail has
  run out (a 400 ms reflection outlived a 0.3 s tail in the room and was heard as
  "yes"). Up to `ECHO_SECONDS` after a span, every chunk that is not digital silence is
  compared with what was played (`echo_likeness`: normalised cross-correlation over
  every delay up to `ECHO_SECONDS`); a close copy is the assistant's. A partner's voice
  is not a copy of the prompt, even spoken over its echo, so it is kept. A faint copy
  may be less close, and a faint chunk no louder than the marked one before it (a
  sound dying away, where a word would grow) less close still. The next prompt being
  queued does not end the search for the last one's echo.

Recognition, loudness statistics and talk time skip marked chunks. Pure logic: numpy
only, no audio library. Figures in docs/audio.md.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import replace

import numpy as np

from assistant.audio.frames import RATE, AudioChunk

TAIL_SECONDS = 0.3  # measured loopback latency plus reverberation margin; docs/audio.md
LEAD_SECONDS = 0.02  # start marking slightly early: timestamps jitter by about a block
ECHO_SECONDS = 1.0  # how late an echo is looked for after the assistant's voice ends
ECHO_LIKENESS = 0.85  # a copy of the prompt: the room's echo 0.99; other voices <= 0.82
ECHO_WINDOW = 1600  # samples compared (0.1 s)
# RMS below which a chunk is left alone: digital silence (about -90 dBFS), nothing to
# hear. The fading end of an echo is a copy too: at -50 dBFS (the floor until
# 2026-12-07) its last 40-60 ms went by unmarked, and the detector heard them as speech
# in about one empty-room check-in of three (docs/audio.md).
ECHO_QUIET = 1.0
# A faint chunk (below about -44 dBFS) is the end of an echo far more often than the
# start of a word, and the copy is least exact there (room noise, the loopback's own
# drift): it counts as the echo from a lower likeness. Logged in the room with the
# walls: fading echo chunks at 0.74-0.84, heard as a 60 ms sound when left unmarked;
# windows of real voices against prompt tails reach 0.63 at most (docs/audio.md).
ECHO_FAINT = 200.0
ECHO_FAINT_LIKENESS = 0.7
# A faint chunk right after one marked as the assistant's, and no louder than it, is
# that sound dying away: an echo fades, a partner's first word grows. Its copy is the
# least exact of all (logged in the room at load 5.5: 0.98, 0.95, 0.81, then 0.66 and
# 0.66 as the echo fell from -46 to -69 dBFS, the last two heard by nobody but left
# unmarked), so a likeness of 0.5 will do; real voices against prompt tails: median 0.26.
ECHO_FADE_LIKENESS = 0.5
SOUND_KEEP_SECONDS = 3.0  # what was played, kept for the echo comparison


class VoiceTimeline:
    """When the assistant's voice was (or will be) audible; shared across threads."""

    def __init__(self, keep: int = 64) -> None:
        self._spans: list[tuple[float, float | None]] = []
        self._keep = keep
        self._lock = threading.Lock()
        self._sound = np.zeros(0, np.float32)  # the latest output at 16 kHz...
        self._sound_start = 0.0  # ...from this monotonic time on

    def played(self, start: float, sound: np.ndarray) -> None:
        """What left the speaker from `start` on (16 kHz), for the echo comparison."""
        sound = np.asarray(sound, dtype=np.float32)
        with self._lock:
            end = self._sound_start + len(self._sound) / RATE
            if start - end > SOUND_KEEP_SECONDS or not len(self._sound):
                self._sound, self._sound_start = sound, start
            else:  # continue the track, silence in any gap, the newer sound on overlap
                offset = max(0, round((start - self._sound_start) * RATE))
                track = np.zeros(max(offset + len(sound), len(self._sound)), np.float32)
                track[: len(self._sound)] = self._sound
                track[offset : offset + len(sound)] = sound
                self._sound = track
            drop = max(0, len(self._sound) - int(SOUND_KEEP_SECONDS * RATE))
            if drop:
                self._sound = self._sound[drop:]
                self._sound_start += drop / RATE

    def sound_between(self, start: float, end: float) -> np.ndarray:
        """The output that was audible between two monotonic times (zeros where none)."""
        with self._lock:
            sound, origin = self._sound, self._sound_start
        lo, hi = round((start - origin) * RATE), round((end - origin) * RATE)
        out = np.zeros(max(0, hi - lo), np.float32)
        a, b = max(lo, 0), min(hi, len(sound))
        if b > a:
            out[a - lo : b - lo] = sound[a:b]
        return out

    def last_end(self) -> float | None:
        """When the assistant's voice last stopped (None if it never did). A prompt
        begun since does not hide it: the next prompt is queued, and its start
        stamped, before the last one's echo has died away (and under load, before the
        gate has judged the audio that holds that echo)."""
        with self._lock:
            return next((end for _, end in reversed(self._spans) if end is not None), None)

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


def echo_likeness(heard: np.ndarray, played: np.ndarray) -> float:
    """How closely `heard` copies some stretch of `played` (best normalised
    cross-correlation over every alignment; 1.0 is an exact copy at any loudness)."""
    n = len(heard)
    if n == 0 or len(played) < n:
        return 0.0
    heard = heard.astype(np.float64)
    norm = float(np.linalg.norm(heard))
    if norm == 0.0:
        return 0.0
    played = played.astype(np.float64)
    size = 1 << int(np.ceil(np.log2(len(played) + n)))
    products = np.fft.irfft(np.fft.rfft(played, size) * np.conj(np.fft.rfft(heard, size)), size)
    dots = products[: len(played) - n + 1]
    energy = np.cumsum(np.concatenate([[0.0], played * played]))
    norms = np.sqrt(np.maximum(energy[n:] - energy[:-n], 0.0))
    sounding = norms > 1e-3 * norms.max()  # a silent stretch cannot have been echoed
    if not sounding.any():
        return 0.0
    return float(np.max(dots[sounding] / (norm * norms[sounding])))


class Gate:
    """Marks the assistant's own voice (while it speaks, its tail, its echo)."""

    def __init__(self, timeline: VoiceTimeline, tail: float = TAIL_SECONDS) -> None:
        self.timeline = timeline
        self.tail = tail
        self.gated_seconds = 0.0
        self.echo_seconds = 0.0  # of which: recognised as an echo after the tail
        self._recent: deque[np.ndarray] = deque()  # the last captured samples, for echoes
        self._recent_samples = 0
        self._marked_level: float | None = None  # the last chunk's RMS, if it was marked

    def __call__(self, chunk: AudioChunk) -> AudioChunk:
        if chunk.captured_at is None or chunk.is_assistant:
            return chunk
        self._remember(chunk.samples)
        level = float(np.sqrt(np.mean(chunk.samples.astype(np.float64) ** 2)))
        before, self._marked_level = self._marked_level, None
        earliest = chunk.captured_at
        latest = max(earliest, chunk.captured_by if chunk.captured_by is not None else earliest)
        if self.timeline.overlaps(earliest, latest + chunk.seconds, self.tail):
            self.gated_seconds += chunk.seconds
            self._marked_level = level
            return replace(chunk, is_assistant=True)
        if self._is_echo(level, before, earliest, latest + chunk.seconds):
            self.gated_seconds += chunk.seconds
            self.echo_seconds += chunk.seconds
            self._marked_level = level
            return replace(chunk, is_assistant=True)
        return chunk

    def _remember(self, samples: np.ndarray) -> None:
        self._recent.append(samples)
        self._recent_samples += len(samples)
        while self._recent_samples - len(self._recent[0]) >= ECHO_WINDOW:
            self._recent_samples -= len(self._recent.popleft())

    def _is_echo(self, level: float, before: float | None, earliest: float,
                 latest_end: float) -> bool:
        """A chunk (RMS `level`) soon after the assistant spoke that copies what it
        played; `before` is the RMS of the chunk before it, if that one was marked."""
        ended = self.timeline.last_end()
        if ended is None or earliest > ended + ECHO_SECONDS:
            return False
        if level < ECHO_QUIET:
            return False
        heard = np.concatenate(self._recent)[-ECHO_WINDOW:]
        window = len(heard) / RATE
        # everything played that this window can be a delayed copy of
        played = self.timeline.sound_between(latest_end - window - ECHO_SECONDS - 0.1,
                                             latest_end)
        needed = ECHO_LIKENESS
        if level < ECHO_FAINT:
            fading = before is not None and level <= before
            needed = ECHO_FADE_LIKENESS if fading else ECHO_FAINT_LIKENESS
        return echo_likeness(heard, played) >= needed
