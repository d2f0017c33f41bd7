"""What the journal hands back when read: plain frozen dataclasses with wall-clock times.

Times are timezone-aware datetimes (stored in UTC); callers show them in local time.
`to_json` turns any of them into JSON-ready dicts, so `--json` output and the export
share one shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class SavedAppreciation:
    """One appreciation exactly as the partner confirmed it."""

    id: int
    session_id: int
    from_partner: str
    to_partner: str
    text: str
    confidence: float
    at: datetime
    typed: bool = False  # said in a typed check-in


@dataclass(frozen=True)
class SavedHeat:
    """One heat event: voices rose ("voice") or a partner asked for a pause ("pause")."""

    session_id: int
    kind: str
    step: str
    level_db: float | None
    baseline_db: float | None
    at: datetime


@dataclass(frozen=True)
class StoredVoiceProfile:
    """A learned voice as the journal keeps it: numbers only, never sound, as bytes that
    assistant/speakers/profile.py's `VoiceProfile` reads. Biometric data (docs/privacy.md)."""

    partner: str
    method: str  # which attribution method made it (profiles of another method are unused)
    version: int  # the method's own version of its numbers
    data: bytes
    created_at: datetime


@dataclass(frozen=True)
class SavedActivity:
    """A shared activity both agreed, its date, and what the review after heard."""

    text: str
    by: date
    happened: bool | None  # None: not asked yet


@dataclass(frozen=True)
class SessionSummary:
    """One check-in as `checkin history` shows it: numbers and confirmed items only."""

    id: int
    guide: str
    partners: tuple[str, str]
    started_at: datetime
    ended_at: datetime | None
    end_reason: str | None
    speech: dict[str, float]  # measured speech seconds per partner, in partner order (0: typed)
    allotted: dict[str, float]
    used: dict[str, float]  # the time each partner's turns took
    voice_raises: int
    pauses: int
    rituals: tuple[str, ...]
    causes: tuple[str, ...]
    appreciations: int
    reviews_due: tuple[date, ...] = field(default=())  # review dates for rituals agreed here
    activities: tuple[SavedActivity, ...] = field(default=())
    plans: tuple[str, ...] = field(default=())
    adjustments: tuple[str, ...] = field(default=())
    support_wishes: int = 0  # answers to "what would help you feel supported?" kept
    typed: bool = False  # typed, not spoken: `speech` was never measured
    # voices told apart: per partner, what they said during the other's turns (included in
    # `speech`), and the interruptions in each partner's turns (count, seconds)
    interjected: dict[str, float] = field(default_factory=dict)
    interruptions: dict[str, int] = field(default_factory=dict)
    interrupted_seconds: dict[str, float] = field(default_factory=dict)
    # gentle words: per partner, statements counted in their sharing turns and how many
    # spoke from "I" (no entry, or 0 statements: nothing counted)
    statements: dict[str, int] = field(default_factory=dict)
    i_statements: dict[str, int] = field(default_factory=dict)
    loved: int = 0  # answers to "what makes you feel most loved?" kept
    patterns: int = 0  # patterns (and what to try instead) kept

    @property
    def duration(self) -> float | None:
        """Seconds from start to end; None while unfinished."""
        if self.ended_at is None:
            return None
        return (self.ended_at - self.started_at).total_seconds()


@dataclass(frozen=True)
class UnfinishedSession:
    """A check-in with no end (a crash or a kill): what `checkin run --resume` needs."""

    id: int
    guide: str
    partners: tuple[str, str]
    started_at: datetime
    last_step: str | None
    last_step_index: int | None
    guide_file: str | None = None  # the guide file it was started from (None: a shipped one)


def to_json(value: Any) -> Any:
    """Dataclasses, dates and tuples → JSON-ready values (dates as ISO 8601 strings)."""
    if is_dataclass(value) and not isinstance(value, type):
        data = {k: to_json(v) for k, v in asdict(value).items()}
        if isinstance(value, SessionSummary):
            data["duration"] = value.duration
            if value.typed:  # typed: no speech was measured, so there is no number to give
                data["speech"] = None
        return data
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return value
