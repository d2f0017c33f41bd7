"""A driven flow's log as short lines: what the flow tests check whole check-ins against."""

from __future__ import annotations

from assistant.flow.events import (
    Chime,
    End,
    EndTurn,
    Listen,
    Say,
    StartTurn,
    StepRecord,
    TurnRecord,
)
from tests.flow.driver import Driver


def compact(d: Driver, since: int = 0, allotted: bool = False) -> list[str]:
    """The log from entry `since` on as short lines, what a reader checks the whole
    flow against (a turn's allotted seconds too, with `allotted`)."""
    out: list[str] = []
    for t, a in d.log[since:]:
        if isinstance(a, Say):
            out.append(f"{t:g} say {a.text}")
        elif isinstance(a, StartTurn):
            out.append(f"{t:g} start_turn {a.partner} {a.seconds:g}")
        elif isinstance(a, EndTurn):
            out.append(f"{t:g} end_turn {a.partner}")
        elif isinstance(a, Chime):
            out.append(f"{t:g} chime {a.kind}")
        elif isinstance(a, Listen):
            out.append(f"{t:g} listen {a.partner} {a.mode}")
        elif isinstance(a, End):
            out.append(f"{t:g} end {a.reason}")
        elif hasattr(a, "record"):
            r = a.record
            if isinstance(r, StepRecord):
                out.append(f"{t:g} save step {r.step}")
            elif isinstance(r, TurnRecord):
                given = f" {r.allotted:g}" if allotted else ""
                out.append(f"{t:g} save turn {r.partner}{given} used={r.used:g} "
                           f"by={r.ended_by}")
            else:
                out.append(f"{t:g} save {type(r).__name__.lower()} {getattr(r, 'text', '')}")
        else:
            out.append(f"{t:g} {type(a).__name__}")
    return out
