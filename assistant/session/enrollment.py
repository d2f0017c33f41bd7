"""Learning one partner's voice before the first check-in (`checkin voices enroll`).

The partner reads a short text aloud. The microphone's chunks go through the
check-in's own hearing, and its voiced answer cuts them into the same windows the
live adapter learns from in a turn (assistant/session/speakers.py). A profile made
here is the one a check-in would have made from that partner's turn. Nothing is
stored here: the command keeps the profile, and only with both partners' yes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from assistant.audio.frames import RATE, AudioChunk
from assistant.speakers.attribution import enroll
from assistant.speakers.methods import Method, default_method
from assistant.speakers.profile import VoiceProfile
from assistant.speakers.windows import SpeechWindows, Window, WindowSettings

# Ours, read aloud in about 20 s at an easy pace: enough for the 15 s of speech wanted.
READ_ALOUD = (
    "We are setting up our check-in. When it is my turn, I will talk about my week: "
    "what went well, and what was hard. When it is your turn, I will listen. "
    "We can go slowly, and we can pause whenever we need to. "
    "Thank you for taking this time with me."
)
WANT_SECONDS = 15.0  # speech to learn one voice from (the "about 15 s")
MOST_SECONDS = 60.0  # of audio: a partner who does not read is not waited for forever


@dataclass
class Heard:
    """What one partner's reading gave: the windows to learn from, and how much."""

    windows: list[Window] = field(default_factory=list)
    audio_seconds: float = 0.0

    @property
    def speech_seconds(self) -> float:
        return sum(w.fresh for w in self.windows) / RATE


def listen_to_one_voice(
    chunks: Iterable[AudioChunk],
    hearing: Any,
    want: float = WANT_SECONDS,
    most: float = MOST_SECONDS,
    method: Method | None = None,
    progress: Callable[[Heard], None] | None = None,
) -> Heard:
    """Windows of one voice from live chunks, until `want` seconds of speech were heard
    or `most` seconds of audio went by. `progress` is told after every window."""
    method = method or default_method()
    cutter = SpeechWindows(WindowSettings(method.window_seconds))
    heard = Heard()
    start: float | None = None
    for chunk in chunks:
        start = chunk.start if start is None else start
        heard.audio_seconds = chunk.end - start
        found = cutter.feed(chunk, hearing.feed(chunk).voiced)
        if found:
            heard.windows.extend(found)
            if progress is not None:
                progress(heard)
        if heard.speech_seconds >= want or heard.audio_seconds >= most:
            break
    heard.windows.extend(cutter.finish())
    hearing.finish()
    return heard


def learn(heard: Heard, method: Method | None = None) -> VoiceProfile:
    """The profile; a one-line `CheckinError` when too little speech was heard."""
    return enroll(heard.windows, method or default_method())
