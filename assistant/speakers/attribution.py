"""Who is speaking: each window of speech labelled with a partner, or unsure.

Two profiles of one method are compared on every window; the difference of their
scores must exceed the method's margin, else the window stays unsure (None), so a
cough or a laugh is not charged to anybody by guesswork.

During a turn the boundary moves the method's `lean` toward the one who holds it: two voices at
once score near zero (a mixture sounds like neither), not like the other voice, so
a window that does not clearly sound like the holder is the other one talking over.
Calm speech of the holder stays well clear of it (docs/speakers.md has the figures).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.audio.frames import AudioChunk
from assistant.speakers.methods import Method, Scorer, default_method, require_enough
from assistant.speakers.profile import VoiceProfile
from assistant.speakers.windows import SpeechWindows, Window, WindowSettings


@dataclass(frozen=True)
class Label:
    start: float  # the speech labelled, in audio time
    end: float
    speaker: str | None  # a name, or None: unsure
    score: float  # first voice's score minus the second's
    decided_at: float  # audio time at which the label was known

    @property
    def seconds(self) -> float:
        return self.end - self.start


def judge(
    window: Window,
    method: Method,
    scorers: Sequence[Scorer],
    names: Sequence[str],
    margin: float,
    holder: int | None = None,
) -> Label:
    """One window's label; `holder` (0 or 1) is whose turn it is, if anybody's."""
    feats = method.features(window.samples)
    diff = scorers[0].score(feats) - scorers[1].score(feats)
    centre = 0.0 if holder is None else (method.lean if holder == 0 else -method.lean)
    shifted = diff - centre
    speaker = None if abs(shifted) < margin else names[0 if shifted > 0 else 1]
    return Label(window.start, window.end, speaker, diff, window.decided_at)


class Attributor:
    """Streaming attribution between two enrolled voices."""

    def __init__(
        self,
        profiles: tuple[VoiceProfile, VoiceProfile],
        names: tuple[str, str] = ("A", "B"),
        method: Method | None = None,
        margin: float | None = None,
        windows: WindowSettings | None = None,
    ) -> None:
        self.method = method or default_method()
        self.scorers = [self.method.scorer(p) for p in profiles]
        self.names = names
        self.margin = self.method.margin if margin is None else margin
        self.windows = SpeechWindows(windows or WindowSettings(self.method.window_seconds))
        self.labels: list[Label] = []
        self.holder: int | None = None

    def set_holder(self, name: str | None) -> None:
        """Whose turn it is (a name), or None between turns."""
        self.holder = None if name is None else self.names.index(name)

    def feed(self, chunk: AudioChunk, voiced: bool) -> list[Label]:
        return self._judge(self.windows.feed(chunk, voiced))

    def finish(self) -> list[Label]:
        return self._judge(self.windows.finish())

    def _judge(self, windows: list[Window]) -> list[Label]:
        out = [
            judge(w, self.method, self.scorers, self.names, self.margin, self.holder)
            for w in windows
        ]
        self.labels.extend(out)
        return out

    def seconds_of(self, name: str | None) -> float:
        return sum(label.seconds for label in self.labels if label.speaker == name)


def enroll(windows: Sequence[Window], method: Method | None = None) -> VoiceProfile:
    """A profile from windows known to be one voice (the flow knows whose turn it is)."""
    method = method or default_method()
    seconds = sum(w.fresh for w in windows) / 16_000
    require_enough(seconds)  # before any work: the one-line error says how much
    return method.enroll([method.features(w.samples) for w in windows], seconds)
