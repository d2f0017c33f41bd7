"""A test driver for the pure flow: a fake clock and a log of what the flow did.

No audio, no threads, no sleeps: time is whatever the test says it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from assistant.flow.events import (
    Action,
    Command,
    CommandName,
    DeviceBack,
    DeviceLost,
    End,
    EndTurn,
    Event,
    PromptsDone,
    Save,
    Say,
    SpeechEnded,
    SpeechStarted,
    StartTurn,
    Tick,
    Utterance,
    VoiceRaised,
)
from assistant.flow.kinds import StepKind
from assistant.flow.machine import CheckinFlow, FlowContext
from assistant.flow.steps import TurnView
from assistant.guides import Guide, load_guide


@dataclass
class Driver:
    """Feeds events at fake times; keeps every action with the time it happened."""

    flow: CheckinFlow
    now: float = 0.0
    log: list[tuple[float, Action]] = field(default_factory=list)

    @classmethod
    def for_guide(cls, guide: str | Guide = "weekly", **context: object) -> Driver:
        g = load_guide(guide) if isinstance(guide, str) else guide
        ctx = FlowContext(partners=("Ana", "Ben"), **context)  # type: ignore[arg-type]
        driver = cls(CheckinFlow(g, ctx))
        driver.feed(Tick(0.0))
        return driver

    def feed(self, event: Event) -> list[Action]:
        actions = self.flow.handle(event)
        self.log.extend((event.now, a) for a in actions)
        return actions

    def at(self, t: float) -> Driver:
        """Advance the fake clock to t, ticking every 0.5 s on the way."""
        while self.now + 0.5 < t:
            self.now += 0.5
            self.feed(Tick(self.now))
        self.now = t
        self.feed(Tick(t))
        return self

    def wait(self, seconds: float) -> Driver:
        return self.at(self.now + seconds)

    def cmd(self, name: CommandName | str) -> list[Action]:
        return self.feed(Command(self.now, CommandName(name)))

    def said(self, text: str, confidence: float = 1.0) -> list[Action]:
        return self.feed(Utterance(self.now, text, self.now, self.now, confidence))

    def speech(self, seconds: float) -> None:
        """A partner speaks for `seconds` (voice activity), clock moving with it."""
        self.feed(SpeechStarted(self.now))
        self.at(self.now + seconds)
        self.feed(SpeechEnded(self.now, seconds))

    def raised(self) -> list[Action]:
        return self.feed(VoiceRaised(self.now, -12.0, -22.0, 0))

    def lost(self) -> list[Action]:
        return self.feed(DeviceLost(self.now))

    def back(self) -> list[Action]:
        return self.feed(DeviceBack(self.now))

    def prompts_done(self) -> list[Action]:
        return self.feed(PromptsDone(self.now))

    # ------------------------------------------------------------- queries

    def says(self) -> list[str]:
        return [a.text for _, a in self.log if isinstance(a, Say)]

    def last_say(self) -> str:
        return self.says()[-1]

    def of(self, kind: type) -> list:  # type: ignore[type-arg]
        return [a for _, a in self.log if isinstance(a, kind)]

    def times_of(self, kind: type) -> list[float]:
        return [t for t, a in self.log if isinstance(a, kind)]

    def saved(self, kind: type) -> list:  # type: ignore[type-arg]
        return [a.record for a in self.of(Save) if isinstance(a.record, kind)]

    @property
    def end(self) -> End | None:
        ends = self.of(End)
        return ends[-1] if ends else None

    def through_consent(self) -> Driver:
        """Both say yes: the first timed step begins."""
        self.cmd("yes")
        self.cmd("yes")
        return self

    def through_turns(self) -> Driver:
        """"I'm done" to every turn of the current timed step (a reflect step has six)."""
        step = self.flow.state
        while self.flow.state == step and isinstance(self.flow.view().activity, TurnView):
            self.cmd("done")
        return self


def plain_turns(name: str = "weekly") -> Guide:
    """A shipped guide whose reflect steps are plain equal turns, for tests about turns
    themselves (reflection has its own tests)."""
    guide = load_guide(name)
    steps = tuple(replace(s, kind=StepKind.TURNS) if s.kind is StepKind.REFLECT else s
                  for s in guide.steps)
    return replace(guide, steps=steps)


__all__ = ["Driver", "EndTurn", "StartTurn", "plain_turns"]
