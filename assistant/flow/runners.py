"""The runner of each step kind: the flow looks a step's runner up here.

Keyed by the registry (flow/kinds.py); tests/flow/test_kinds.py checks that every
step kind has one.
"""

from __future__ import annotations

from assistant.flow.collect_step import CollectRunner
from assistant.flow.kinds import StepKind
from assistant.flow.simple_steps import (
    ClosingRunner,
    ConsentRunner,
    FollowupRunner,
    OfferRunner,
    RitualsRunner,
    SayRunner,
)
from assistant.flow.steps import StepRunner
from assistant.flow.turn_steps import ReflectRunner, TurnsRunner

__all__ = ["RUNNERS", "OfferRunner"]

RUNNERS: dict[StepKind, type[StepRunner]] = {
    StepKind.SAY: SayRunner,
    StepKind.CONSENT: ConsentRunner,
    StepKind.TURNS: TurnsRunner,
    StepKind.REFLECT: ReflectRunner,
    StepKind.COLLECT: CollectRunner,
    StepKind.RITUALS: RitualsRunner,
    StepKind.FOLLOWUP: FollowupRunner,
    StepKind.CLOSING: ClosingRunner,
}
