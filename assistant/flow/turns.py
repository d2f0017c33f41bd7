"""Clocks and the talk-time ledger: the arithmetic behind equal turns.

`HoldClock` turns the session's monotonic time into *active* time, which stands
still while the check-in is on hold (a pause, an open question about pausing, a lost
microphone, the assistant reading an opening prompt). Every step measures with
active time, so a turn resumed after a ten-minute pause has exactly the time it had.

The talk-time rule (`speech_of`, `interjected`) lives here once: the closing's summary
reads it through `TalkLedger`, and the journal's history (assistant/journal/summaries.py)
applies it to the totals it sums per partner.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from assistant.flow.events import TurnRecord


class HoldClock:
    """Active seconds: real seconds minus every stretch spent on hold."""

    def __init__(self) -> None:
        self._held = 0.0
        self._since: float | None = None
        self._reasons: set[str] = set()

    def hold(self, reason: str, now: float) -> None:
        if not self._reasons:
            self._since = now
        self._reasons.add(reason)

    def release(self, reason: str, now: float) -> None:
        if reason not in self._reasons:
            return
        self._reasons.discard(reason)
        if not self._reasons and self._since is not None:
            self._held += max(0.0, now - self._since)
            self._since = None

    def is_held(self, reason: str | None = None) -> bool:
        return bool(self._reasons) if reason is None else reason in self._reasons

    def active(self, now: float) -> float:
        held = self._held
        if self._since is not None:
            held += max(0.0, now - self._since)
        return now - held


@dataclass
class TalkLedger:
    """Every finished turn, and each partner's totals for the closing summary."""

    turns: list[TurnRecord] = field(default_factory=list)

    def add(self, record: TurnRecord) -> None:
        self.turns.append(record)

    def used(self, partner: str) -> float:
        return sum(t.used for t in self.turns if t.partner == partner)

    def speech(self, partner: str) -> float:
        """A partner's speech (`speech_of`) over every finished turn."""
        holders = {t.partner for t in self.turns} | {partner}
        own = {h: sum(t.speech for t in self.turns if t.partner == h) for h in holders}
        heard = {h: sum(t.listener_speech for t in self.turns if t.partner == h)
                 for h in holders}
        return speech_of(partner, own, heard)

    def talk_seconds(self, partner: str) -> float:
        """Measured speech when the microphone measured any, else the time used."""
        if any(t.speech > 0 or t.listener_speech > 0 for t in self.turns):
            return self.speech(partner)
        return self.used(partner)


def speech_of(partner: str, own: Mapping[str, float], heard: Mapping[str, float]) -> float:
    """The talk-time rule: a partner's speech is what they said in their own turns plus,
    with voices told apart, what they said while the other held the floor. Both are keyed
    by the turn's holder: `own` the holder's speech, `heard` the listener's."""
    return own.get(partner, 0.0) + interjected(partner, heard)


def interjected(partner: str, heard: Mapping[str, float]) -> float:
    """What `partner` said during turns that were not theirs (`heard`: the listener's
    speech by the turn's holder); it counts as theirs, never as the holder's."""
    return sum((seconds for holder, seconds in heard.items() if holder != partner), 0.0)


def spoken_duration(seconds: float) -> str:
    """A duration as a person would say it: "5 minutes", "1 minute 30 seconds"."""
    total = max(0, int(round(seconds)))
    if total < 60:
        return "1 second" if total == 1 else f"{total} seconds"
    minutes, rest = divmod(total, 60)
    rest = int(round(rest / 5.0) * 5)
    if rest == 60:
        minutes, rest = minutes + 1, 0
    text = "1 minute" if minutes == 1 else f"{minutes} minutes"
    if rest:
        text += f" {rest} seconds"
    return text
