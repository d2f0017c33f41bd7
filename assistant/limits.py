"""The one table of what every number a person can set may be: finite, and bounded.

A turn of `nan` minutes, a pause of `inf`, 1e308 minutes or a speaking rate of 0 would
each break a check-in long after it started (after both partners said yes). So every
duration and count that comes from a person is checked here, against one table, by
each way in: the flags of `checkin run` and the other commands (assistant/settings.py,
assistant/cli/), the config file (settings.py) and guide files (assistant/guides/), so
`checkin guides check` refuses exactly what `checkin run` would refuse. Callers add
where the value came from (a flag, a file and its key); the rule and its wording are
the same everywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """The values a setting may take: more than (or from) `low`, up to `high`."""

    unit: str  # what the number counts, said in messages ("minutes", "seconds", ...)
    low: float
    high: float
    low_allowed: bool = False  # whether `low` itself is allowed (0 s of grace is fine)
    whole: bool = False  # a count: no fractions

    def problem(self, value: object) -> str | None:
        """None when `value` is allowed, else what is wrong, as "must be ..., got ..."."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"must be a number of {self.unit}, got {value!r}"
        if not math.isfinite(value):
            return f"must be a finite number of {self.unit}, got {value!r}"
        if self.whole and value != int(value):
            return f"must be a whole number of {self.unit}, got {value!r}"
        if value < self.low or (value == self.low and not self.low_allowed):
            return f"must be {self._lowest()}, got {value!r}"
        if value > self.high:
            return f"must be at most {self.high:g} {self.unit}, got {value!r}"
        return None

    def _lowest(self) -> str:
        if self.low == 0:
            return "zero or more" if self.low_allowed else "greater than zero"
        return f"at least {self.low:g} {self.unit}" if self.low_allowed else \
            f"more than {self.low:g} {self.unit}"


_MINUTES = Limit("minutes", 0, 60)
_SECONDS_AFTER = Limit("seconds", 0, 600, low_allowed=True)

# Every number a person can set, by its name in the config file and in guide files
# (a flag is the same name with dashes: --turn-minutes).
LIMITS: dict[str, Limit] = {
    # a check-in's times (flags, config file, guide [settings], a step's own minutes)
    "turn_minutes": _MINUTES,
    "pause_minutes": _MINUTES,
    "reflect_minutes": _MINUTES,
    "interruption_seconds": Limit("seconds", 0, 600),
    # only in guide [settings]
    "confirm_seconds": Limit("seconds", 0, 600),
    "warning_seconds": _SECONDS_AFTER,
    "silence_nudge_seconds": Limit("seconds", 0, 3600),
    "overrun_grace_seconds": _SECONDS_AFTER,
    "finish_silence_seconds": Limit("seconds", 0, 60, low_allowed=True),
    "item_end_silence_seconds": Limit("seconds", 0, 60, low_allowed=True),
    "breathing_seconds": Limit("seconds", 0, 3600),
    "heat_limit": Limit("raised voices", 1, 100, low_allowed=True, whole=True),
    # a collect step's counts
    "items": Limit("items", 0, 50, low_allowed=True, whole=True),
    # the prompts' speaking rate (--rate, rate = ... in the config file)
    "rate": Limit("words a minute", 40, 600, low_allowed=True, whole=True),
    # how long a command listens (mic-check, doctor, voices enroll)
    "listen_seconds": Limit("seconds", 0, 600),
}


# How readily raised voices suggest a pause (--sensitivity, sensitivity = ... in the config
# file); audio/rising.py holds each level's thresholds under these names.
SENSITIVITY_LEVELS = ("low", "medium", "high")


def choice_problem(value: object, allowed: tuple[str, ...]) -> str | None:
    """What is wrong with `value` as one of `allowed` ("must be one of ..."), or None."""
    if value in allowed:
        return None
    return f"must be one of {', '.join(allowed)}, got {value!r}"


def problem(key: str, value: object) -> str | None:
    """What is wrong with `value` for the setting `key` ("must be ..., got ..."), or None."""
    return LIMITS[key].problem(value)
