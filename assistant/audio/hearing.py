"""Hearing the room: one processor from audio chunks to the flow's hearing events.

The live session and `checkin analyze` feed the same `Hearing` object, so what a
recording shows is what a check-in would have heard. Per 10 ms frame it combines
the level (levels.py), the voice-activity decision (an injected `VoiceActivity`)
and the rising-voice detector (rising.py), and turns them into:

- `SpeechStarted(now=start of speech)` / `SpeechEnded(now=end, seconds=speech)`:
  segments of speech with pauses shorter than `hangover_seconds` bridged; the
  seconds feed the flow's talk-time ledger.
- `VoiceRaised` from the rising-voice detector.
- `SpeakerSeemsFinished` once per pause of `finished_after_seconds` after speech.

Time comes only from the audio (`chunk.start`). Chunks marked `is_assistant` (the
assistant's own voice, marked by the gate) are ignored for everything.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from assistant.audio.frames import AudioChunk
from assistant.audio.levels import (
    FRAME,
    FRAME_SECONDS,
    LevelStats,
    NoiseFloor,
    frame_powers,
    power_to_db,
)
from assistant.audio.rising import RisingVoiceDetector, rise_settings
from assistant.audio.vad import VoiceActivity
from assistant.flow.events import SpeechEnded, SpeechStarted, VoiceRaised


@dataclass(frozen=True)
class SpeakerSeemsFinished:
    """Speech ended `silence` seconds ago and nobody has spoken since."""

    now: float
    silence: float


HearingEvent = SpeechStarted | SpeechEnded | VoiceRaised | SpeakerSeemsFinished


@dataclass(frozen=True)
class HearingSettings:
    """What counts as one stretch of speech, and when a speaker seems finished."""

    hangover_seconds: float = 0.15  # pauses shorter than this stay inside one segment
    min_speech_seconds: float = 0.05  # shorter bursts (clicks) never start a segment
    finished_after_seconds: float = 3.0
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
        self._pending = np.zeros(0, dtype=np.int16)
        self.speaker: int | None = None
        self.floor = NoiseFloor()
        self.speech_stats = LevelStats()
        self.segments: list[Segment] = []
        self._run = 0  # consecutive speech frames while no segment is open
        self._run_start = 0.0
        self._seg_start: float | None = None
        self._last_speech_end = 0.0
        self._quiet_since: float | None = None  # end of the last segment, until cued
        self._events: list[HearingEvent] = []
        self._voiced = False

    # ------------------------------------------------------------ session API

    def set_speaker(self, partner: int | None) -> list[HearingEvent]:
        """Whose turn it is now (None: nobody's). Closes an open segment first."""
        self._close_segment()
        self.speaker = partner
        return self._take()

    def feed(self, chunk: AudioChunk) -> ChunkHeard:
        if chunk.is_assistant:
            self._close_segment()
            self._restart_stream()
            return ChunkHeard(None, self.floor.db, False, self._take())
        data = (
            np.concatenate([self._pending, chunk.samples]) if len(self._pending) else chunk.samples
        )
        t0 = chunk.start - len(self._pending) / chunk.rate
        powers = frame_powers(data)
        whole = len(powers) * FRAME
        batch = getattr(self.vad, "frame_decisions", None)
        if batch is not None:
            decisions = batch(data[:whole], FRAME)
        else:
            decisions = [
                self.vad.is_speech(AudioChunk(data[i : i + FRAME], t0 + i / chunk.rate))
                for i in range(0, whole, FRAME)
            ]
        for i, (power, speech) in enumerate(zip(powers.tolist(), decisions, strict=True)):
            self._recent.append(power)
            if len(self._recent) > self._delay:
                start = t0 + (i - self._delay) * FRAME_SECONDS
                self._decide(start, self._recent[0], speech)
        self._pending = data[whole:]
        if decisions:
            self._voiced = bool(decisions[-1])
        level = None
        if len(powers):
            level = float(power_to_db(powers.mean()))
        elif len(chunk.samples):
            level = float(power_to_db(frame_powers(chunk.samples, len(chunk.samples))[0]))
        return ChunkHeard(level, self.floor.db, self._seg_start is not None, self._take(),
                          self._voiced)

    def finish(self) -> list[HearingEvent]:
        """End of stream: close the segment still open."""
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
                    self._quiet_since = None
                    self._events.append(SpeechStarted(now=round(self._run_start, 3)))
            self._last_speech_end = end
            self.speech_stats.add(power)
            raised = self.detector.observe(start, power, self.speaker)
            if raised is not None:
                self._events.append(raised)
            return
        self._run = 0
        if self._seg_start is not None:
            if end - self._last_speech_end >= self._hangover * FRAME_SECONDS - 1e-9:
                self._close_segment()
            return
        self.floor.update(10.0 * math.log10(max(power, 1e-10)))
        quiet = self._quiet_since
        if quiet is not None and end - quiet >= self.settings.finished_after_seconds - 1e-9:
            self._events.append(
                SpeakerSeemsFinished(now=round(end, 3), silence=round(end - quiet, 3))
            )
            self._quiet_since = None

    def _close_segment(self) -> None:
        self._run = 0
        if self._seg_start is None:
            return
        segment = Segment(self._seg_start, self._last_speech_end, self.speaker)
        self.segments.append(segment)
        self._events.append(
            SpeechEnded(now=round(segment.end, 3), seconds=round(segment.seconds, 3))
        )
        self._seg_start = None
        self._quiet_since = segment.end

    def _restart_stream(self) -> None:
        """After a stretch of ignored audio the detector's memory is stale."""
        self.vad.reset()
        self._pending = np.zeros(0, dtype=np.int16)
        self._recent.clear()

    def _take(self) -> list[HearingEvent]:
        out, self._events = self._events, []
        return out


def open_voice_activity() -> tuple[VoiceActivity, str]:
    """The detector chosen by measurement (Silero), or webrtcvad behind a level gate.

    The fallback keeps a check-in usable when the Silero weights are missing; its
    name is returned so `analyze` and `mic-check` can say which one listened.
    """
    from assistant.errors import ModelError

    try:
        from assistant.audio.vad_silero import SileroVoiceActivity

        return SileroVoiceActivity(), "silero"
    except ModelError:
        from assistant.audio.vad_webrtc import LevelGate, WebRtcVoiceActivity

        return LevelGate(WebRtcVoiceActivity(2)), "webrtcvad+gate (Silero weights missing)"
