"""Deciding which audio the recognizer hears: speech plus a little around it.

Pure logic over an injected VoiceActivity. While nobody speaks, the last
`pre_roll` seconds are kept in a ring so that when speech starts they are fed
first: detectors fire a few frames late and the first consonant would otherwise be
lost. After speech, `hangover` seconds of silence are still fed so the recognizer
sees the word end; then the segment closes. A segment that is still short closes
after the shorter `quick_hangover`, because a lone short phrase is most likely a
command and should not wait. Chunks captured while the assistant speaks are never
fed and count as silence.

Some sound is never words, and its segment closes as a blip that no recognizer
hears (both engines turn a fragment into a word: measured, a 100 ms piece of a real
voice became a spoken "yes" for the Korean model, "Thank you." for Whisper):
- a segment with less than `min_voiced` seconds of speech in it (a click; a short
  word said quickly has 0.16 s by the detector, so this stays below that);
- on a live stream (`live`), speech already under way when listening begins: the
  microphone opened in the middle of a sound (another program's prompt cut off a
  moment ago, or the start of our own before the gate could mark it). Listening
  begins after `pre_roll` seconds in a row of quiet or of the assistant's own voice,
  which the gate has marked (a detector's first answers come a few chunks late, so
  one quiet chunk at the start proves nothing). A check-in whose first prompts play
  while the stream opens listens from then on: a partner who answers the first
  question at once is heard (the assistant's voice once counted as neither, and an
  answer begun 0.5 s after the prompt was lost). A recording begins where its speech
  may begin.

A segment may be capped (`max_seconds`, for an engine that hears a fixed window):
past it, it closes at its first quiet chunk, and at `hard_limit` whatever is heard.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from assistant.audio.activity import VoiceActivity
from assistant.audio.frames import AudioChunk


@dataclass
class SegmentUpdate:
    """What to do after one chunk: feed these chunks; a segment started/ended; and
    whether the chunk was speech (when it was not, the segment may close soon)."""

    feed: list[AudioChunk] = field(default_factory=list)
    started: bool = False
    ended: bool = False
    speech: bool = False
    blip: bool = False  # the segment that ended held too little speech to be words


class SpeechSegmenter:
    """Turns a chunk stream into speech segments (pre-roll + speech + hangover)."""

    def __init__(
        self,
        vad: VoiceActivity,
        pre_roll: float = 0.3,
        hangover: float = 0.5,
        quick_hangover: float = 0.25,
        quick_max: float = 1.6,
        min_voiced: float = 0.0,
        max_seconds: float | None = None,
        hard_limit: float | None = None,
        live: bool = False,
    ) -> None:
        self.vad = vad
        self.pre_roll = pre_roll
        self.hangover = hangover
        self.quick_hangover = quick_hangover
        self.quick_max = quick_max
        self.min_voiced = min_voiced
        self.max_seconds = max_seconds
        self.hard_limit = hard_limit
        self._voiced = 0.0  # seconds of chunks the detector called speech, this segment
        self.speech_start = 0.0  # where the detector heard the open segment's speech
        self.speech_end = 0.0  # begin and end (stream seconds)
        self._quiet_run = 0.0  # seconds of quiet in a row, until listening begins
        self._listening = not live  # live: `pre_roll` of quiet heard since the stream began
        self._cut = False  # the open segment was under way before listening began
        self._ring: deque[AudioChunk] = deque()
        self._ring_seconds = 0.0
        self.in_segment = False
        self.segment_start = 0.0
        self._speech_seconds = 0.0
        self._silence = 0.0

    def _remember(self, chunk: AudioChunk) -> None:
        self._ring.append(chunk)
        self._ring_seconds += chunk.seconds
        while self._ring and self._ring_seconds - self._ring[0].seconds >= self.pre_roll:
            self._ring_seconds -= self._ring.popleft().seconds

    def push(self, chunk: AudioChunk) -> SegmentUpdate:
        update = SegmentUpdate()
        if chunk.is_assistant:
            speech = False
            self._ring.clear()  # the assistant's voice must never become pre-roll
            self._ring_seconds = 0.0
        else:
            speech = self.vad.is_speech(chunk)
        if not self._listening:
            self._quiet_run = 0.0 if speech else self._quiet_run + chunk.seconds
            self._listening = self._quiet_run >= self.pre_roll
        update.speech = speech
        if not self.in_segment:
            if not speech:
                if not chunk.is_assistant:
                    self._remember(chunk)
                return update
            update.feed.extend(self._ring)
            update.feed.append(chunk)
            self.segment_start = self._ring[0].start if self._ring else chunk.start
            self._ring.clear()
            self._ring_seconds = 0.0
            self.in_segment, update.started = True, True
            self._speech_seconds, self._silence = chunk.seconds, 0.0
            self._voiced = chunk.seconds
            self.speech_start, self.speech_end = chunk.start, chunk.end
            self._cut = not self._listening
            return update
        if chunk.is_assistant:
            self._silence += chunk.seconds
        else:
            update.feed.append(chunk)
            if speech:
                self._speech_seconds += self._silence + chunk.seconds
                self._silence = 0.0
                self._voiced += chunk.seconds
                self.speech_end = chunk.end
            else:
                self._silence += chunk.seconds
        limit = self.quick_hangover if self._speech_seconds <= self.quick_max else self.hangover
        length = chunk.end - self.segment_start
        full = self.max_seconds is not None and length >= self.max_seconds and not speech
        cut = self.hard_limit is not None and length >= self.hard_limit
        if self._silence >= limit or full or cut:
            self._close(update)
        return update

    def _close(self, update: SegmentUpdate) -> None:
        self.in_segment, update.ended = False, True
        update.blip = self._cut or self._voiced < self.min_voiced
        self.vad.reset()

    def flush(self) -> SegmentUpdate:
        """End of stream: close an open segment."""
        update = SegmentUpdate()
        if self.in_segment:
            self._close(update)
        return update
