"""The record a confirmed item of a collect step becomes, by the step's `item`.

Kept apart from the runner (collect.py) so a new kind of item is one name in
flow/kinds.py (`ItemKind`), one line here and one table in the journal; the test of
the registry (tests/flow/test_kinds.py) says when one is missing. An item kind that is
not in the registry is refused, never turned into some other record: the guides'
validator refuses it first, so it can only come from a `Step` built by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from assistant.flow.events import (
    Activity,
    Adjustment,
    Appreciation,
    Cause,
    Loved,
    Pattern,
    Plan,
    Record,
    Ritual,
    Support,
)
from assistant.flow.kinds import ItemKind, names


@dataclass(frozen=True)
class Said:
    """One confirmed item: what was said, by whom, to whom, when."""

    speaker: str
    other: str
    text: str
    confidence: float
    at: float
    activity_by: date | None  # the date an activity agreed today is planned by


ITEM_RECORDS: dict[ItemKind, Callable[[Said], Record]] = {
    ItemKind.APPRECIATION: lambda s: Appreciation(s.speaker, s.other, s.text, s.confidence,
                                                  s.at),
    ItemKind.CAUSE: lambda s: Cause(s.speaker, s.text, s.at),
    ItemKind.RITUAL: lambda s: Ritual(s.speaker, s.text, s.at),
    ItemKind.ACTIVITY: lambda s: Activity(s.speaker, s.text, s.activity_by, s.at),
    ItemKind.SUPPORT: lambda s: Support(s.speaker, s.text, s.at),
    ItemKind.PLAN: lambda s: Plan(s.speaker, s.text, s.at),
    ItemKind.ADJUSTMENT: lambda s: Adjustment(s.speaker, s.text, s.at),
    ItemKind.LOVED: lambda s: Loved(s.speaker, s.text, s.at),
    ItemKind.PATTERN: lambda s: Pattern(s.speaker, s.text, s.at),
}


def item_record(item: str, speaker: str, other: str, text: str, confidence: float,
                at: float, activity_by: date | None) -> Record:
    """What is kept for `text`, said by `speaker`, once confirmed; ValueError for an
    item kind the registry does not know."""
    try:
        kind = ItemKind(item)
    except ValueError:
        raise ValueError(f"unknown item kind {item!r}; expected one of {names(ItemKind)}") \
            from None
    return ITEM_RECORDS[kind](Said(speaker, other, text, confidence, at, activity_by))
