"""The record a confirmed item of a collect step becomes, by the step's `item`.

Kept apart from the runner (steps.py) so a new kind of item is one line here, one
table in the journal and one name in the guides' validator.
"""

from __future__ import annotations

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


def item_record(item: str, speaker: str, other: str, text: str, confidence: float,
                at: float, activity_by: date | None) -> Record:
    """What is kept for `text`, said by `speaker`, once confirmed."""
    if item == "appreciation":
        return Appreciation(speaker, other, text, confidence, at)
    if item == "ritual":
        return Ritual(speaker, text, at)
    if item == "activity":
        return Activity(speaker, text, activity_by, at)
    if item == "support":
        return Support(speaker, text, at)
    if item == "plan":
        return Plan(speaker, text, at)
    if item == "adjustment":
        return Adjustment(speaker, text, at)
    if item == "loved":
        return Loved(speaker, text, at)
    if item == "pattern":
        return Pattern(speaker, text, at)
    return Cause(speaker, text, at)
