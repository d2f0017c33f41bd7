"""Voice activity: the one question every listener asks of a chunk, "is someone speaking?".

Concrete detectors (chosen by measurement, see docs/hearing.md) implement
`VoiceActivity`; recognition, speech-time and the rising-voice detector all take one
by injection so they agree on what counts as speech.
"""

from __future__ import annotations

from typing import Protocol

from assistant.audio.frames import AudioChunk


class VoiceActivity(Protocol):
    """Decides speech / not speech for consecutive chunks of one stream.

    A detector may also offer `push(samples) -> [(samples used, decision), ...]`,
    one entry per decision it made (Silero does): the hearing processor then places
    every decision exactly without calling the detector once per 10 ms frame.
    """

    def is_speech(self, chunk: AudioChunk) -> bool:
        """True when the chunk contains speech (state may carry over chunks)."""
        ...

    def reset(self) -> None:
        """Forget stream state (between utterances or streams)."""
        ...


class SharedDecision:
    """A VoiceActivity that repeats the answer another listener already got for the same
    chunk, so one detector serves both the room's hearing and the recognizer."""

    def __init__(self) -> None:
        self.voiced = False  # set by the owner before each chunk is passed on

    def is_speech(self, chunk: AudioChunk) -> bool:
        return self.voiced

    def reset(self) -> None:
        """Nothing to forget: the detector that decides keeps its own state."""
