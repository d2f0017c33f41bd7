"""The flow's own states, beside the steps a guide defines.

A guide's steps become states under their own ids; these are the states every
check-in has besides them. Their names are reserved: a guide step called `paused`
would be silently merged with the pause by `transitions` (a duplicate state
overwrites the first), so the guide validator refuses them (`RESERVED`).
"""

from __future__ import annotations

from enum import Enum


class Edge(str, Enum):
    """Before the first step and after the last."""

    START = "start"
    ENDED = "ended"


class Hold(str, Enum):
    """States that interrupt a step and return to exactly where it was."""

    PAUSE_OFFER = "pause_offer"  # voices rose: "would you like a short pause?"
    HEAT_CHECK = "heat_check"  # the third heat event: "shall we end?"
    PAUSED = "paused"  # the cool-down
    MICROPHONE_LOST = "microphone_lost"  # the microphone went away (event: DeviceLost)


RESERVED = frozenset(s.value for s in (*Edge, *Hold))


# Each hold's two named triggers: the way in (from a step, or replacing another hold)
# and the way back to exactly what it interrupted. They label the table's edges, so the
# generated diagram says where each hold comes from and goes back to.
HOLD_TRIGGERS: dict[Hold, tuple[str, str]] = {
    Hold.PAUSE_OFFER: ("offer_pause", "decline_pause"),
    Hold.HEAT_CHECK: ("check_heat", "carry_on"),
    Hold.PAUSED: ("pause", "resume"),
    Hold.MICROPHONE_LOST: ("lose_microphone", "microphone_back"),
}
