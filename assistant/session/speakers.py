"""Who is speaking, live: the hearing's voiced chunks in, `VoiceAttributed` events out.

    pipeline ─► (chunk, the hearing's voiced answer) ─► LiveVoices ─► VoiceAttributed
    Session  ─► set_partner (whose turn it is) ─────────┘   └─► keep (the journal)

The adapter between the live check-in and the engine (assistant/speakers/). It runs
no detector of its own: it is handed the hearing's answer for each chunk. It does
nothing until the first turn starts, because only then have both partners answered
the consent question; without both yes it stays off for the whole check-in, so
nothing is learned and nothing is kept.

With consent, a partner without a stored profile is learned from their own turns:
the flow says whose turn it is, so the speech in it is theirs (a short interjection
of the other barely moves a Gaussian mixture). When that partner's turn ends with
enough speech, their profile is made and handed to `keep` (the journal saves it).
Once both voices are known, every window of speech is judged as it comes, leaning
toward the turn's holder, and posted within one hop (0.5 s) of being spoken.

Learning a voice is fitting a model (a fraction of a second and more) and saving it
syncs the journal to disk, so the pipeline does both outside its lock: `change_turn`
(quick, under the lock) hands back the voice to learn, `fit` and `keep` run outside
it, and `learned` (quick, under the lock) puts the profile to use. `set_partner` does
the four in a row where one thread does everything (a replay, the tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from assistant.audio.frames import RATE, AudioChunk
from assistant.flow.events import VoiceAttributed
from assistant.speakers.attribution import Attributor, Label, enroll
from assistant.speakers.methods import MIN_ENROLL_SECONDS, Method, default_method
from assistant.speakers.profile import VoiceProfile
from assistant.speakers.windows import SpeechWindows, Window, WindowSettings

ENROLL_MOST_SECONDS = 30.0  # speech kept to learn one voice: enough, and a bounded cost


class Stage(Enum):
    WAITING = "waiting"  # no turn yet: the consent may still be asked
    OFF = "off"  # not both partners said yes: nothing learned, nothing kept
    LEARNING = "learning"  # at least one voice still to learn from its turns
    ATTRIBUTING = "attributing"  # both voices known: every window judged


@dataclass(frozen=True)
class Enrolment:
    """One partner's voice, ready to be learned from the windows of their turns."""

    name: str
    windows: list[Window]


class LiveVoices:
    """One check-in's voice attribution; see the module docstring.

    `agreed` asks the journal whether both partners said yes (asked once, at the first
    turn); `keep` stores a newly learned profile. Both run on the caller's thread of
    `set_partner` (the main thread), never on the listening thread.
    """

    def __init__(self, partners: tuple[str, str], agreed: Callable[[], bool],
                 keep: Callable[[str, VoiceProfile], None],
                 profiles: dict[str, VoiceProfile] | None = None,
                 method: Method | None = None) -> None:
        self.partners = partners
        self.agreed = agreed
        self.keep = keep
        self.method = method or default_method()
        self.profiles: dict[str, VoiceProfile] = dict(profiles or {})
        self.stage = Stage.WAITING
        self.holder: int | None = None
        self.windows = SpeechWindows(WindowSettings(self.method.window_seconds))
        self.heard: dict[str, list[Window]] = {p: [] for p in partners}  # to learn from
        self.attributor: Attributor | None = None

    def set_partner(self, index: int | None, now: float) -> None:
        """Whose turn it is from now (None: nobody's). A finished turn may teach a voice."""
        enrolment = self.change_turn(index, now)
        if enrolment is not None:
            profile = self.fit(enrolment)
            self.learned(enrolment.name, profile)
            self.keep(enrolment.name, profile)

    def change_turn(self, index: int | None, now: float) -> Enrolment | None:
        """Whose turn it is from now; the voice the finished turn made ready to learn
        (fit it, then hand it to `learned` and `keep`), or None."""
        enrolment = None
        if self.stage is Stage.WAITING and index is not None:
            self.stage = Stage.LEARNING if self.agreed() else Stage.OFF
            self._attribute_when_known()
        if self.stage is Stage.LEARNING and index != self.holder:
            self._learn(self.windows.finish(now))
            if self.holder is not None:
                enrolment = self._ready(self.partners[self.holder])
        self.holder = index
        if self.attributor is not None:
            self.attributor.set_holder(None if index is None else self.partners[index])
        return enrolment

    def fit(self, enrolment: Enrolment) -> VoiceProfile:
        """The voice's profile (the slow part: touches nothing the listening thread uses)."""
        return enroll(enrolment.windows, self.method)

    def learned(self, name: str, profile: VoiceProfile) -> None:
        """A voice is known: once both are, every window is judged."""
        self.profiles[name] = profile
        self._attribute_when_known()

    def feed(self, chunk: AudioChunk, voiced: bool, now: float) -> list[VoiceAttributed]:
        """One chunk with the hearing's answer; the pieces of speech it lets us judge."""
        if self.stage is Stage.LEARNING:
            self._learn(self.windows.feed(chunk, voiced))
        elif self.attributor is not None:
            return self._pieces(self.attributor.feed(chunk, voiced), now)
        return []

    def finish(self, now: float) -> list[VoiceAttributed]:
        """End of the audio: the open stretch's last piece."""
        if self.attributor is None:
            return []
        return self._pieces(self.attributor.finish(), now)

    def _learn(self, windows: list[Window]) -> None:
        if self.holder is None:  # between turns nobody's voice is known
            return
        name = self.partners[self.holder]
        if name in self.profiles:
            return
        kept = self.heard[name]
        for window in windows:
            if _seconds(kept) < ENROLL_MOST_SECONDS:
                kept.append(window)

    def _ready(self, name: str) -> Enrolment | None:
        windows = self.heard[name]
        if name in self.profiles or _seconds(windows) < MIN_ENROLL_SECONDS:
            return None  # too little yet: their next turn adds to it
        self.heard[name] = []
        return Enrolment(name, windows)

    def _attribute_when_known(self) -> None:
        if self.stage is Stage.LEARNING and all(p in self.profiles for p in self.partners):
            a, b = self.partners
            self.attributor = Attributor((self.profiles[a], self.profiles[b]),
                                         names=self.partners, method=self.method)
            self.stage = Stage.ATTRIBUTING
            self.heard = {p: [] for p in self.partners}
            if self.holder is not None:  # learned after the turn changed: lean its way
                self.attributor.set_holder(self.partners[self.holder])

    @staticmethod
    def _pieces(labels: list[Label], now: float) -> list[VoiceAttributed]:
        return [VoiceAttributed(now, label.start, label.end, label.speaker) for label in labels]


def _seconds(windows: list[Window]) -> float:
    return sum(w.fresh for w in windows) / RATE
