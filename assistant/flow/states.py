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
    DEVICE_LOST = "device_lost"  # the microphone went away


RESERVED = frozenset(s.value for s in (*Edge, *Hold))
