"""Speaking from "I", over time: each partner's own share of "I" statements, by month.

Gentle words counts, per sharing turn, the statements a partner made and how many of
them spoke from "I" ("I feel...", "I noticed..."). Here those counts become, for each
partner alone, the share of their statements that spoke from "I" in each month, and one
line of encouragement against their own last month ("more "I feel" than last month").
It is never a score against the other: no partner's numbers are set beside the other's,
and a month with a lower share gets a kind word, not a comparison.

Pure: SessionSummary values in, lines and numbers out (history.py and report.py show them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assistant.journal.rows import SessionSummary
from assistant.text import visible


@dataclass(frozen=True)
class Month:
    """One partner's counted statements in one month."""

    first_day: date
    statements: int
    from_i: int

    @property
    def share(self) -> float:
        return self.from_i / self.statements if self.statements else 0.0


def months(sessions: list[SessionSummary]) -> dict[str, list[Month]]:
    """Per partner (by the name in each check-in), their months with anything counted,
    oldest first."""
    counted: dict[str, dict[date, tuple[int, int]]] = {}
    for session in sessions:
        day = session.started_at.astimezone().date().replace(day=1)
        for partner in session.partners:
            said = session.statements.get(partner, 0)
            if not said:
                continue
            total, from_i = counted.setdefault(partner, {}).get(day, (0, 0))
            counted[partner][day] = (total + said, from_i + session.i_statements.get(partner, 0))
    return {partner: [Month(day, total, from_i) for day, (total, from_i) in sorted(by.items())]
            for partner, by in counted.items()}


def encouragement(history: list[Month]) -> str:
    """A kind word on the newest month against the one before (never a score)."""
    if len(history) < 2:
        return "a first month counted"
    now, before = history[-1].share, history[-2].share
    if now > before:
        return "more \"I feel\" than last month"
    if now == before:
        return "as much \"I feel\" as last month"
    return "\"I feel\" gets easier with practice"


def speaking_lines(sessions: list[SessionSummary]) -> list[str]:
    """The history's closing section; none when nothing was ever counted."""
    by_partner = months(sessions)
    if not by_partner:
        return []
    lines = ["Speaking from \"I\" (each of you, against your own last month):"]
    for partner, history in by_partner.items():
        shares = " · ".join(f"{m.first_day:%b %Y} {m.share:.0%}" for m in history[-6:])
        lines.append(f"  {visible(partner)}: {shares}: {encouragement(history)}")
    return lines
