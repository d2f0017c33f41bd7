"""What every step runner is: its host, its base class, and what the live view reads.

The state machine (machine.py) decides *which* step is active and handles everything
that cuts across steps (pause, stop, repeat, heat, device loss). A runner decides what
happens *within* its step: whose turn it is, when time is up, what was said and whether
it was confirmed. Runners only talk to their `StepHost`, never to audio, files or a
clock. The runners themselves: simple_steps.py (say, offer, consent, rituals, followup,
closing), turn_steps.py (turns, reflect), collect_step.py (collect); runners.py is the
table by step kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from typing import Protocol

from assistant.flow.events import (
    Action,
    Appreciation,
    CommandName,
    PlannedActivity,
    Record,
    Utterance,
    VoiceAttributed,
)
from assistant.flow.gentle import GentleWords
from assistant.flow.kinds import EndReason
from assistant.flow.turns import TalkLedger
from assistant.guides import Guide, GuideSettings, Step

REVIEW_AFTER = timedelta(weeks=2)  # the first checkpoint after rituals are agreed


class Phase(str, Enum):
    """Where an item is: being said, read back for "save it", or asked of both partners."""

    LISTENING = "listening"
    CONFIRM = "confirm"
    AGREE_FIRST = "agree_first"
    AGREE_SECOND = "agree_second"


@dataclass(frozen=True)
class TurnView:
    """A timed turn, for the live view."""

    speaker: str
    remaining: float  # seconds of the allotment left (negative: past time)
    allotted: float
    speech: float  # seconds of speech so far in this turn, a stretch still open included
    listener_speech: float = 0.0  # what the listener said in it (voice attribution only)


@dataclass(frozen=True)
class ItemView:
    """An item being named and confirmed, for the live view."""

    speaker: str
    phase: Phase
    kept: int
    heard: str


StepView = TurnView | ItemView | None


class StepHost(Protocol):
    """What a step runner may ask of the flow."""

    guide: Guide
    partners: tuple[str, str]
    ledger: TalkLedger
    typed: bool  # the couple types: the typed words of a step, time taken instead of speech
    gentle: GentleWords  # blame noticed in sharing turns, one tip per partner

    def active(self) -> float: ...
    def asks_voice_consent(self) -> bool: ...
    def fill(self, template: str, **values: str) -> str: ...
    def say(self, text: str, repeatable: bool = True, opening: bool = False) -> None: ...
    def phrase(self, key: str, **values: str) -> None: ...
    def unclear(self) -> None: ...
    def emit(self, action: Action) -> None: ...
    def save(self, record: Record) -> None: ...
    def step_done(self) -> None: ...
    def end(self, reason: EndReason) -> None: ...
    def review_date(self) -> str: ...
    def spoken_date(self, day: date) -> str: ...
    def activity_by(self) -> date | None: ...
    def rituals_to_review(self) -> tuple[str, ...]: ...
    def plans_to_review(self) -> tuple[str, ...]: ...
    def planned_activity(self) -> PlannedActivity | None: ...
    def habit_index(self) -> int: ...
    def appreciations_kept(self) -> list[Appreciation]: ...
    def loved(self) -> list[tuple[str, str]]: ...
    def take_resume_progress(self) -> int: ...
    def begin_offered(self, runner: StepRunner) -> None: ...


class StepRunner:
    """Base: a step that reacts to nothing until it is told to move on."""

    def __init__(self, host: StepHost, step: Step) -> None:
        self.host = host
        self.step = step

    @property
    def settings(self) -> GuideSettings:
        return self.host.guide.settings

    def fmt(self, key: str, **values: str) -> str:
        """One of the step's sentences, in this check-in's words, filled in."""
        return self.host.fill(self.step.text(key, self.host.typed), **values)

    def fmt_lines(self, key: str, **values: str) -> list[str]:
        return [self.host.fill(line, **values) for line in self.step.lines(key, self.host.typed)]

    def other(self, partner: str) -> str:
        a, b = self.host.partners
        return b if partner == a else a

    def enter(self) -> None:
        """The step begins."""

    def on_command(self, name: CommandName) -> None:
        """A command addressed to this step."""

    def on_utterance(self, event: Utterance) -> None:
        """Something said that is not a command."""

    def on_speech(self, started: bool, seconds: float, audio_time: float = 0.0) -> None:
        """Voice activity started or ended in the room."""

    def on_voice(self, event: VoiceAttributed) -> None:
        """A piece of speech was labelled with whose voice it was."""

    def tick(self) -> None:
        """Time passed (active time: it stands still on hold)."""

    def resume(self) -> None:
        """The check-in comes back from a hold to this step."""

    def stop(self) -> None:
        """The check-in is stopping in this step: keep what is worth keeping."""

    def view(self) -> StepView:
        """What the live view shows about this step."""
        return None

    def waits_on_time(self) -> bool:
        """True while something will happen here without anyone saying anything."""
        return False
