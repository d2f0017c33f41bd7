"""The flow's closed sets of names: step kinds, item kinds, end reasons.

Each is written once here and read by everything that names one: the guides'
validator (which refuses any other), the flow's runners (`RUNNERS`) and item records
(`ITEM_RECORDS`), the plan of a resumed check-in and the journal's item tables, and
the exit code of `checkin run`. tests/flow/test_kinds.py checks that they all agree,
so a new kind is added here first and the test says what else it needs.
"""

from __future__ import annotations

from enum import Enum


class Name(str, Enum):
    """A name that prints as itself ("completed", never "EndReason.COMPLETED"), so it
    reads the same in a message, an f-string and the journal."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class StepKind(Name):
    """What a guide step does; each has a runner (flow/runners.py) and rules
    (guides/validate.py)."""

    SAY = "say"
    CONSENT = "consent"
    TURNS = "turns"
    REFLECT = "reflect"
    COLLECT = "collect"
    RITUALS = "rituals"
    FOLLOWUP = "followup"
    CLOSING = "closing"

    @property
    def timed(self) -> bool:
        """Made of timed turns: a resumed step counts its turns already taken."""
        return self in (StepKind.TURNS, StepKind.REFLECT)

    @property
    def optional_allowed(self) -> bool:
        """May be offered first and skipped (never the consent, nor the closing)."""
        return self in (StepKind.SAY, StepKind.TURNS, StepKind.COLLECT, StepKind.RITUALS,
                        StepKind.FOLLOWUP)


class ItemKind(Name):
    """What a collect step gathers; each becomes a record (flow/items.py) and a table."""

    CAUSE = "cause"
    RITUAL = "ritual"
    APPRECIATION = "appreciation"
    ACTIVITY = "activity"
    SUPPORT = "support"
    PLAN = "plan"
    ADJUSTMENT = "adjustment"
    LOVED = "loved"
    PATTERN = "pattern"

    @property
    def binds_both(self) -> bool:
        """Binds both partners, so it is kept only when both say yes (the seeds' rule)."""
        return self in (ItemKind.RITUAL, ItemKind.ACTIVITY, ItemKind.PLAN, ItemKind.ADJUSTMENT)


class EndReason(Name):
    """Why a check-in ended, as the journal keeps it; `well` decides the exit code."""

    COMPLETED = "completed"  # the closing was reached
    STOPPED = "stopped"  # someone said "stop", or typed input ran out
    DECLINED = "declined"  # a partner said no at the consent
    HEAT = "heat"  # ended gently after repeated heat, as the couple chose
    ERROR = "error"  # listening failed (the model, the recognition thread)

    @property
    def well(self) -> bool:
        """The couple's own choice or the end of the guide: exit code 0."""
        return self is not EndReason.ERROR

    @property
    def exit_code(self) -> int:
        return 0 if self.well else 1


def names(kinds: type[Enum]) -> str:
    """The allowed values, for a one-line error: "say, consent, ..."."""
    return ", ".join(str(k.value) for k in kinds)
