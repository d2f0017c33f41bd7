"""A guide's [settings]: the timings of a check-in and its switches, checked against the
same table as the command line and the config file (assistant/limits.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.guides.problems import Problem
from assistant.limits import problem

# key in TOML: the GuideSettings attribute; each value is checked against
# assistant/limits.py under its TOML key, as the same setting is from a flag or the config.
_SETTINGS_KEYS: dict[str, str] = {
    "turn_minutes": "turn_seconds",
    "reflect_minutes": "reflect_seconds",
    "confirm_seconds": "confirm_seconds",
    "pause_minutes": "pause_seconds",
    "warning_seconds": "warning_seconds",
    "silence_nudge_seconds": "silence_nudge_seconds",
    "overrun_grace_seconds": "overrun_grace_seconds",
    "finish_silence_seconds": "finish_silence_seconds",
    "item_end_silence_seconds": "item_end_silence_seconds",
    "breathing_seconds": "breathing_seconds",
    "heat_limit": "heat_limit",
    "interruption_seconds": "interruption_seconds",
    "gentle_words": "gentle_words",
}
_SWITCHES = {"gentle_words"}  # true or false, not numbers

@dataclass(frozen=True)
class GuideSettings:
    """Timings of a check-in, in seconds unless the name says otherwise."""

    turn_seconds: float = 300.0  # each partner's allotment in a sharing round
    reflect_seconds: float = 60.0  # reflect: the listener says back what they heard
    confirm_seconds: float = 30.0  # reflect: the speaker's "yes, that's it" or one addition
    pause_seconds: float = 600.0  # the cool-down
    warning_seconds: float = 60.0  # "one minute left" this long before time's up
    silence_nudge_seconds: float = 30.0  # gentle nudge after this much silence in a turn
    overrun_grace_seconds: float = 20.0  # firmer reminder this long past time
    finish_silence_seconds: float = 3.0  # silence that means "the speaker has finished"
    item_end_silence_seconds: float = 2.0  # silence that ends a spoken item (appreciation...)
    breathing_seconds: float = 60.0  # a paced-breathing reminder this often in a pause
    heat_limit: int = 3  # heat events before suggesting to end gently
    # the listener talking over the speaker this long without a pause gets one reminder a
    # turn (with voice attribution; back-channels like "mm" never reach it)
    interruption_seconds: float = 3.0
    # absolute blame ("you always...") noticed in sharing turns, and one tip after the turn
    gentle_words: bool = True


def parse_settings(raw: Any, problems: list[Problem]) -> GuideSettings:
    if not isinstance(raw, dict):
        problems.append(Problem("settings", "must be a table"))
        return GuideSettings()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in _SETTINGS_KEYS:
            problems.append(Problem(f"settings.{key}", "unknown setting; expected one of "
                                    f"{', '.join(sorted(_SETTINGS_KEYS))}"))
            continue
        attr = _SETTINGS_KEYS[key]
        if key in _SWITCHES:
            if not isinstance(value, bool):
                problems.append(Problem(f"settings.{key}", f"expected true or false, got "
                                        f"{value!r}"))
            else:
                values[attr] = value
            continue
        wrong = problem(key, value)
        if wrong:
            problems.append(Problem(f"settings.{key}", wrong))
            continue
        if attr == "heat_limit":
            values[attr] = int(value)
        elif key.endswith("_minutes"):
            values[attr] = float(value) * 60.0
        else:
            values[attr] = float(value)
    return GuideSettings(**values)
