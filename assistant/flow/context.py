"""What the flow is told at the start (`FlowContext`), and what it shows (`FlowView`).

Kept apart from the machine (machine.py) so the session (session/plan.py) and the live
view (display.py) read them without the machine's table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assistant.flow.events import PlannedActivity, TurnRecord
from assistant.flow.steps import StepView


@dataclass(frozen=True)
class FlowContext:
    """What the flow is told at the start instead of looking it up itself."""

    partners: tuple[str, str]
    today: date | None = None  # for the review date spoken at the closing
    next_review: date | None = None  # the journal's next checkpoint (review guide)
    rituals: tuple[str, ...] = ()  # rituals to read back (review guide)
    plans: tuple[str, ...] = ()  # agreed plans to read back (review guide)
    activity: PlannedActivity | None = None  # the shared activity to ask about (review guide)
    habit_index: int = 0  # which closing tip: the journal's count of finished check-ins
    wait_for_prompts: bool = False  # voice mode: opening prompts hold the clocks until spoken
    typed: bool = False  # the couple types: "type" for "say", time taken instead of speech
    resume_at: str | None = None  # step id to start from when resuming an interrupted check-in
    resume_done: int = 0  # turns or confirmed items already finished in that step
    earlier_turns: tuple[TurnRecord, ...] = ()  # turns finished before the interruption
    earlier_heat: int = 0  # heat events before the interruption
    ask_voice_consent: bool = False  # voices to be told apart, and the couple not yet asked
    gentle_words: bool = True  # blame noticed in sharing turns (settings and guide agree)
    loved: tuple[tuple[str, str], ...] = ()  # (partner, how they feel loved), from the journal


@dataclass(frozen=True)
class FlowView:
    """A snapshot for the live view."""

    state: str
    step_id: str
    step_title: str
    step_index: int
    step_count: int
    pause_left: float | None
    heat_count: int
    talk: dict[str, float]
    activity: StepView = None  # the turn or item under way, if any
    waiting_for: str | None = None  # "yes_or_no": answers the flow stopped asking for aloud
    pause_length: float = 0.0  # the whole cool-down, for the breathing guide's phase
