"""`checkin history` as plain text: one short block per check-in, newest first.

Pure formatting of SessionSummary values, so it is tested without a database or clock.
Names, guides and what the couple agreed are people's text: shown through `visible`.
"""

from __future__ import annotations

from datetime import date

from assistant.journal.reviews import Checkpoint, most_recent_due
from assistant.journal.rows import SessionSummary
from assistant.journal.speaking import speaking_lines
from assistant.text import visible


def minutes_seconds(seconds: float) -> str:
    """4:05 for 245 seconds."""
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def short_day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def session_block(session: SessionSummary) -> list[str]:
    """The lines for one session."""
    start = session.started_at.astimezone()
    duration = session.duration
    length = "unfinished" if duration is None else f"{round(duration / 60)} min"
    reason = f", {session.end_reason}" if session.end_reason else ""
    typed = ", typed" if session.typed else ""
    lines = [f"{start:%Y-%m-%d %H:%M}  {visible(session.guide)}{typed}  {length}"
             f"{visible(reason)}"]
    if any(session.speech.values()) or any(session.allotted.values()):
        # typed: nobody spoke, so the honest number is the time each partner took
        times = session.used if session.typed else session.speech
        talk = " · ".join(
            f"{visible(name)} {minutes_seconds(times.get(name, 0.0))}"
            for name in session.partners
        )
        allotted = {round(v) for v in session.allotted.values()}
        note = f" (allotted {minutes_seconds(allotted.pop())} each)" if len(allotted) == 1 else ""
        label = "time taken (typed)" if session.typed else "speech"
        lines.append(f"  {label}: {talk}{note}")
    lines += voices_lines(session)
    heat = []
    if session.voice_raises:
        heat.append(_plural(session.voice_raises, "raised voice"))
    if session.pauses:
        heat.append(_plural(session.pauses, "pause"))
    lines.append(f"  heat: {', '.join(heat) if heat else 'none'}")
    if session.rituals:
        lines.append(f"  rituals agreed: {'; '.join(map(visible, session.rituals))}")
    if session.reviews_due:
        lines.append(f"  reviews due: {', '.join(short_day(d) for d in session.reviews_due)}")
    for activity in session.activities:
        outcome = {None: "not asked yet", True: "it happened", False: "it did not happen"}
        lines.append(f"  shared activity: {visible(activity.text)}, by {short_day(activity.by)} "
                     f"({outcome[activity.happened]})")
    if session.plans:
        lines.append(f"  plans agreed: {'; '.join(map(visible, session.plans))}")
    if session.adjustments:
        lines.append(f"  changes agreed: {'; '.join(map(visible, session.adjustments))}")
    if session.support_wishes:
        lines.append(f"  support wishes saved: {session.support_wishes}")
    if session.loved:
        lines.append(f"  how you feel loved, saved: {session.loved}")
    if session.patterns:
        lines.append(f"  patterns saved: {session.patterns}")
    if session.appreciations:
        lines.append(f"  appreciations saved: {session.appreciations}")
    return lines


def voices_lines(session: SessionSummary) -> list[str]:
    """With voices told apart: what each said in the other's turns, and the interruptions
    counted in each partner's turns (nothing when the voices were not told apart)."""
    lines = []
    if any(session.interjected.values()):
        said = " · ".join(f"{visible(name)} "
                          f"{minutes_seconds(session.interjected.get(name, 0.0))}"
                          for name in session.partners)
        lines.append(f"  said during the other's turn: {said}")
    if any(session.interruptions.values()):
        parts = []
        for name in session.partners:
            n = session.interruptions.get(name, 0)
            seconds = session.interrupted_seconds.get(name, 0.0)
            parts.append(f"{n} in {visible(name)}'s turns"
                         + (f" ({minutes_seconds(seconds)})" if n else ""))
        lines.append(f"  interruptions: {' · '.join(parts)}")
    return lines


def history_text(sessions: list[SessionSummary], checkpoints: list[Checkpoint], today: date) -> str:
    """All sessions newest first, then the state of the current ritual reviews."""
    if not sessions:
        return "No check-ins yet.\n"
    out: list[str] = []
    for session in reversed(sessions):
        out += session_block(session)
        out.append("")
    if checkpoints:
        out.append("Ritual reviews:")
        current = most_recent_due(checkpoints, today)
        for c in checkpoints:
            if c.done_on is not None:
                state = f"done {short_day(c.done_on)}"
            elif c == current:
                state = "due now"
            elif c.due_on <= today:
                state = "missed"
            else:
                state = "upcoming"
            out.append(f"  {c.weeks}-week review: {short_day(c.due_on)} ({state})")
        out.append("")
    speaking = speaking_lines(sessions)
    if speaking:
        out += [*speaking, ""]
    return "\n".join(out)
