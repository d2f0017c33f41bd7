"""Whose voice spoke during a turn: the listener's speech, and when it was talking over.

Pure arithmetic on the audio times of `VoiceAttributed` pieces, one `FloorShare` per
turn. Only the listener's pieces matter here: the speaker's own and the unsure ones are
already the speaker's (the hearing's speech time counts them), so a check-in with no
attribution keeps exactly its old numbers.

The rule for talking over (docs/guides.md): the listener's pieces join into one stretch
while each begins within `JOIN_GAP` of the last one's end (a breath; the hearing's
voice activity already bridges shorter pauses). A stretch that reaches the guide's
`interruption_seconds` is one interruption. Back-channels ("mm", "yes") are short
stretches with pauses between them, so they never reach it, and they are never added
up: every stretch starts again from nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

JOIN_GAP = 0.5  # seconds between two of the listener's pieces that still make one stretch


@dataclass
class FloorShare:
    """One turn's voices: what the listener said, and their interruptions."""

    listener: str
    interruption_seconds: float
    floor: float | None = None  # audio time the turn's speech began; earlier is the last turn's
    listener_speech: float = 0.0
    interruptions: int = 0
    interrupted_seconds: float = 0.0
    _start: float | None = None  # the listener's current stretch
    _end: float = 0.0
    _counted: bool = False  # the current stretch is already an interruption

    def speech_started(self, audio_time: float) -> None:
        """The hearing heard speech begin in this turn (pieces before it are not ours)."""
        if self.floor is None:
            self.floor = audio_time

    def piece(self, start: float, end: float, voice: str | None, watching: bool = True) -> bool:
        """Count one attributed piece; True when it makes a new interruption.

        `watching` is False once the speaker's time is up: the listener speaking then is
        taking over, not talking over, so it is their speech but never an interruption.
        """
        if voice != self.listener or self.floor is None:
            return False
        start = max(start, self.floor)  # the part before it was the turn before's speech
        if self._start is not None:
            start = max(start, self._end)  # never count the same second twice
        if end <= start:
            return False
        self.listener_speech += end - start
        if self._start is None or start - self._end > JOIN_GAP:
            self._start, self._counted = start, False
        before = max(0.0, self._end - self._start)  # the stretch's length so far
        self._end = end
        length = end - self._start
        if self._counted:
            self.interrupted_seconds += length - before
            return False
        if watching and length >= self.interruption_seconds:
            self._counted = True
            self.interruptions += 1
            self.interrupted_seconds += length
            return True
        return False
