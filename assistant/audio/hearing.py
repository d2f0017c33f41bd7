"""Hearing the room: one processor from audio chunks to the flow's hearing events.

The live session and `checkin analyze` feed the same `Hearing` object, so what a
recording shows is what a check-in would have heard. Per 10 ms frame it combines
the level (levels.py), the voice-activity decision (an injected `VoiceActivity`)
and the rising-voice detector (rising.py), and turns them into:

- `SpeechStarted(audio_time=start of speech)` / `SpeechEnded(audio_time=end,
  seconds=speech)`:
  segments of speech with pauses shorter than `hangover_seconds` bridged; the
  seconds feed the flow's talk-time ledger.
- `VoiceRaised` from the rising-voice detector.

Time comes only from the audio (`chunk.start`). Chunks marked `is_assistant` (the
assistant's own voice, marked by the gate) are ignored for everything.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.audio.activity import VoiceActivity
from assistant.audio.frames import RATE, AudioChunk
from assistant.audio.levels import (
    FRAME,
    FRAME_SECONDS,
    SILENT_POWER,
    LevelStats,
    NoiseFloor,
    frame_powers,
)
from assistant.audio.rising import RisingVoiceDetector, rise_settings
from assistant.flow.events import SpeechEnded, SpeechStarted, VoiceRaised

# Frame bookkeeping (levels, segments, rising voices) runs once per 0.1 s of audio:
# fewer, larger numpy calls beside the detector, and no event is late by more than
# that. The detector's own answer (`ChunkHeard.voiced`) is current for every chunk.
BATCH_SAMPLES = 1600


HearingEvent = SpeechStarted | SpeechEnded | VoiceRaised


@dataclass(frozen=True)
class HearingSettings:
    """What counts as one stretch of speech, and how readily a raised voice is noticed."""

    hangover_seconds: float = 0.15  # pauses shorter than this stay inside one segment
    min_speech_seconds: float = 0.05  # shorter bursts (clicks) never start a segment
    sensitivity: str = "medium"


@dataclass(frozen=True)
class Segment:
    """One stretch of speech, and whose turn it was."""

    start: float
    end: float
    partner: int | None

    @property
    def seconds(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class ChunkHeard:
    """What one chunk told us: its level, the floor, speech now, and new events."""

    level_db: float | None  # None for the assistant's own (ignored) audio
    noise_floor_db: float | None
    speaking: bool
    events: list[HearingEvent] = field(default_factory=list)
    voiced: bool = False  # the detector's own answer at the chunk's end (no segment logic)


class Hearing:
    """Feed consecutive chunks of one stream; collect hearing events."""

    def __init__(
        self,
        vad: VoiceActivity,
        settings: HearingSettings | None = None,
        detector: RisingVoiceDetector | None = None,
    ) -> None:
        self.vad = vad
        self.settings = settings or HearingSettings()
        self.detector = detector or RisingVoiceDetector(rise_settings(self.settings.sensitivity))
        # A detector decides after hearing a little of the future: its answer for a
        # frame is credited `latency` frames earlier, so start times stay exact.
        self._delay = round(getattr(vad, "latency_seconds", 0.0) / FRAME_SECONDS)
        self._recent: deque[float] = deque(maxlen=self._delay + 1)
        self._hangover = round(self.settings.hangover_seconds / FRAME_SECONDS)
        self._min_speech = max(1, round(self.settings.min_speech_seconds / FRAME_SECONDS))
        # A detector with `push` (Silero) hears every chunk at once, so its answer is
        # always current; the frame bookkeeping then runs once per BATCH_SAMPLES.
        self._push = getattr(vad, "push", None)
        self._changes: deque[tuple[int, bool]] = deque()  # (stream sample, new decision)
        self._pushed = 0  # samples given to the detector since the stream (re)started
        self._framed = 0  # samples already turned into frames
        self._decision = False  # the detector's answer at `_framed`
        self._waiting: list[np.ndarray] = []  # samples not yet turned into frames
        self._waiting_samples = 0
        self._waiting_start = 0.0
        self.partner: int | None = None  # whose turn it is (an index), None: nobody's
        self.voice: int | None = None  # whose voice the open speech is, when told apart
        self._now = 0.0  # the session's clock for the events of the chunk being fed
        self.floor = NoiseFloor()
        self.speech_stats = LevelStats()
        self.segments: list[Segment] = []
        self._run = 0  # consecutive speech frames while no segment is open
        self._run_start = 0.0
        self._seg_start: float | None = None
        self._last_speech_end = 0.0
        self._events: list[HearingEvent] = []
        self._voiced = False

    # ------------------------------------------------------------ session API

    def set_partner(self, partner: int | None, now: float | None = None) -> list[HearingEvent]:
        """Whose turn it is now (None: nobody's). What was heard before belongs to the
        previous turn: it is run now and an open segment is closed; `now` stamps the
        events that closes (default: the last chunk's)."""
        if now is not None:
            self._now = now
        self._process()
        self._close_segment()
        self.partner = partner
        return self._take()

    def set_voice(self, voice: int | None) -> None:
        """Whose voice the speech being heard is (an index), from the attribution;
        None: not known. It holds for the frames that follow, until the next answer or
        the end of this stretch of speech, and decides the calm level a rise is
        measured against (rising.py). An answer that comes after the stretch has
        ended is about that stretch, so it is not kept."""
        self.voice = voice if self._seg_start is not None else None

    def feed(self, chunk: AudioChunk, now: float | None = None) -> ChunkHeard:
        """One chunk; `now` is the session's clock for the events it brings (default:
        the chunk's end, for a recording heard with no session)."""
        self._now = chunk.end if now is None else now
        if chunk.is_assistant:
            self._process()  # what was heard before the assistant spoke still counts
            self._close_segment()
            self._restart_stream()
            return ChunkHeard(None, self.floor.db, False, self._take())
        samples = chunk.samples
        if not self._waiting:
            self._waiting_start = chunk.start
        self._waiting.append(samples)
        self._waiting_samples += len(samples)
        if self._push is None:
            level = self._process()
        else:
            for offset, decision in self._push(samples):
                self._changes.append((self._pushed + offset, decision))
                self._voiced = decision
            self._pushed += len(samples)
            if self._waiting_samples < BATCH_SAMPLES:
                return ChunkHeard(
                    None, self.floor.db, self._seg_start is not None, [], self._voiced
                )
            level = self._process()
        return ChunkHeard(
            level, self.floor.db, self._seg_start is not None, self._take(), self._voiced
        )

    def _process(self) -> float | None:
        """Turn the whole frames waiting so far into hearing decisions and return their
        level (None if there were none); a trailing partial frame keeps waiting."""
        if self._waiting_samples < FRAME:
            return None
        data = self._waiting[0] if len(self._waiting) == 1 else np.concatenate(self._waiting)
        t0 = self._waiting_start
        powers = frame_powers(data).tolist()
        whole = len(powers) * FRAME
        if self._push is not None:
            decisions = self._frame_decisions(len(powers))
        else:
            decisions = [
                self.vad.is_speech(AudioChunk(data[i : i + FRAME], t0 + i / RATE))
                for i in range(0, whole, FRAME)
            ]
            self._voiced = decisions[-1]
        recent, delay = self._recent, self._delay
        for i, (power, speech) in enumerate(zip(powers, decisions, strict=True)):
            recent.append(power)
            if len(recent) > delay:
                self._decide(t0 + (i - delay) * FRAME_SECONDS, recent[0], speech)
        rest = data[whole:]
        self._waiting = [rest] if len(rest) else []
        self._waiting_start = t0 + whole / RATE
        self._waiting_samples = len(rest)
        return 10.0 * math.log10(max(sum(powers) / len(powers), SILENT_POWER))

    def _frame_decisions(self, frames: int) -> list[bool]:
        """The detector's answer at the end of each of the next `frames` frames, from
        the points where it changed its mind."""
        changes, current, end = self._changes, self._decision, self._framed
        out = []
        for _ in range(frames):
            end += FRAME
            while changes and changes[0][0] <= end:
                current = changes.popleft()[1]
            out.append(current)
        self._decision, self._framed = current, end
        return out

    def finish(self, now: float | None = None) -> list[HearingEvent]:
        """End of stream: run what is still waiting and close the open segment."""
        if now is not None:
            self._now = now
        self._process()
        self._close_segment()
        return self._take()

    # ------------------------------------------------------------- summaries

    @property
    def speech_seconds(self) -> float:
        return sum(s.seconds for s in self.segments)

    def speech_seconds_of(self, partner: int | None) -> float:
        return sum(s.seconds for s in self.segments if s.partner == partner)

    @property
    def noise_floor_db(self) -> float | None:
        return self.floor.db

    @property
    def speech_level_db(self) -> float | None:
        return self.speech_stats.db

    # -------------------------------------------------------------- internals

    def _decide(self, start: float, power: float, speech: bool) -> None:
        end = start + FRAME_SECONDS
        if speech:
            if self._seg_start is None:
                if self._run == 0:
                    self._run_start = start
                self._run += 1
                if self._run >= self._min_speech:
                    self._seg_start = self._run_start
                    self._events.append(
                        SpeechStarted(self._now, audio_time=round(self._run_start, 3)))
            self._last_speech_end = end
            self.speech_stats.add(power)
            raised = self.detector.observe(start, power, self.partner, self._now, self.voice)
            if raised is not None:
                self._events.append(raised)
            return
        self._run = 0
        if self._seg_start is not None:
            if end - self._last_speech_end >= self._hangover * FRAME_SECONDS - 1e-9:
                self._close_segment()
            return
        self.floor.update(10.0 * math.log10(max(power, 1e-10)))

    def _close_segment(self) -> None:
        self._run = 0
        self.voice = None  # the next stretch's voice is not known yet
        if self._seg_start is None:
            return
        segment = Segment(self._seg_start, self._last_speech_end, self.partner)
        self.segments.append(segment)
        self._events.append(
            SpeechEnded(self._now, seconds=round(segment.seconds, 3),
                        audio_time=round(segment.end, 3))
        )
        self._seg_start = None

    def _restart_stream(self) -> None:
        """After a stretch of ignored audio the detector's memory is stale."""
        self.vad.reset()
        self._waiting = []
        self._waiting_samples = 0
        self._changes.clear()
        self._pushed = self._framed = 0
        self._decision = self._voiced = False
        self._recent.clear()

    def _take(self) -> list[HearingEvent]:
        out, self._events = self._events, []
        return out


def open_voice_activity(silero_model: Path | None = None) -> tuple[VoiceActivity, str]:
    """The detector chosen by measurement (Silero, from `silero_model` or an installed
    package), or webrtcvad behind a level gate.

    The fallback keeps a check-in usable when the Silero weights are missing; its
    name is returned so `analyze` and `mic-check` can say which one listened.
    """
    from assistant.errors import ModelError

    try:
        from assistant.audio.vad_silero import SileroVoiceActivity

        return SileroVoiceActivity(silero_model), "silero"
    except ModelError:
        from assistant.audio.vad_webrtc import LevelGate, WebRtcVoiceActivity

        return LevelGate(WebRtcVoiceActivity(2)), "webrtcvad+gate (Silero weights missing)"
