"""What a check-in will be: its guide, the partners, where it starts, and its journal row.

Decided before anything is opened, from the settings and the journal: a review that is
due is offered, an interrupted check-in is resumed at the step it stopped in, with the
turns and confirmed items it already had.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import CheckinError, ConfigError, GuideError
from assistant.flow.machine import FlowContext
from assistant.guides import DEFAULT_GUIDE, SHIPPED, Guide, load_guide
from assistant.invocation import checkin_command
from assistant.settings import Settings, parse_names
from assistant.text import as_text, visible

if TYPE_CHECKING:
    from assistant.journal.rows import UnfinishedSession
    from assistant.journal.store import Journal


def wall_clock() -> datetime:
    """The local time a journal row is stamped with (never the flow's clock)."""
    return datetime.now().astimezone()


def ask_names() -> tuple[str, str]:
    """Ask for the names on the terminal (or read them as the first two input lines)."""
    names: list[str] = []
    for which in ("first", "second"):
        print(f"Name of the {which} partner: ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            raise ConfigError('no names given; pass them with --names "Ana,Ben"')
        if "," in line:
            raise ConfigError("a name cannot hold a comma; type each name on its own line")
        names.append(as_text(line.strip()))
    return parse_names(",".join(names), "the names typed")


def load_checkin_guide(name: str, settings: Settings) -> Guide:
    """The guide with the times the couple chose (flags or config, checked when the
    settings were built) in place of its own."""
    guide = load_guide(name).with_settings(**{
        key: value * 60 if value else None
        for key, value in (("turn_seconds", settings.turn_minutes),
                           ("pause_seconds", settings.pause_minutes),
                           ("reflect_seconds", settings.reflect_minutes))})
    return guide.with_settings(interruption_seconds=settings.interruption_seconds)


@dataclass
class RunPlan:
    """What this run will do: which guide, who, and from where."""

    guide: Guide
    context: FlowContext
    session_id: int
    resumed: bool


def plan_checkin(settings: Settings, journal: Journal) -> RunPlan:
    """Settle the guide, the names and the starting point, and open the session row."""
    today = datetime.now().astimezone().date()
    if settings.resume:
        return _plan_resume(settings, journal, today)
    guide_name = settings.guide
    due = journal.rituals_due_for_review(today)
    if guide_name is None:
        guide_name = DEFAULT_GUIDE
        if due:
            print(f"checkin: a ritual review is due ({due[0].due_on:%B %d}); starting the review "
                  "guide. Use --guide weekly for a regular check-in.", file=sys.stderr)
            guide_name = "review"
    guide = load_checkin_guide(guide_name, settings)
    partners = parse_names(settings.names) if settings.names else ask_names()
    context = FlowContext(partners, today=today,
                          **_journal_context(journal, guide, today, partners, settings),
                          wait_for_prompts=not settings.typed, typed=settings.typed,
                          ask_voice_consent=_asks_voice_consent(settings, journal, partners))
    session_id = journal.begin_session(guide.name, partners, wall_clock(),
                                       settings.keep_transcript, typed=settings.typed,
                                       guide_file=_guide_file(guide_name, guide))
    return RunPlan(guide, context, session_id, resumed=False)


def _plan_resume(settings: Settings, journal: Journal, today: date) -> RunPlan:
    unfinished = journal.unfinished_session()
    if unfinished is None:
        raise CheckinError("there is no interrupted check-in to resume; start one with: "
                           f"{checkin_command('run')}")
    guide = load_checkin_guide(settings.guide or _resumed_guide(unfinished), settings)
    step = unfinished.last_step if unfinished.last_step in [s.id for s in guide.steps] else None
    summary = next((s for s in journal.sessions() if s.id == unfinished.id), None)
    turns = tuple(t for t in journal.turns(unfinished.id) if t.ended_by != "stop")
    done = 0
    kind = next((s for s in guide.steps if s.id == step), None)
    if kind is not None and summary is not None:
        if kind.kind.timed:  # reflect: each part of it is a turn
            done = sum(1 for t in turns if t.step == step)
        elif kind.item is not None:  # a collect step
            done = journal.items_kept(unfinished.id, kind.item)
    heat = summary.voice_raises + summary.pauses if summary else 0
    a, b = map(visible, unfinished.partners)
    print(f"checkin: resuming the {visible(guide.title.lower())} of "
          f"{unfinished.started_at:%A %H:%M} for {a} and {b}"
          f"{f' at {visible(kind.title)}' if kind else ''}.", file=sys.stderr)
    context = FlowContext(unfinished.partners, today=today,
                          **_journal_context(journal, guide, today, unfinished.partners,
                                             settings),
                          wait_for_prompts=not settings.typed,
                          typed=settings.typed, resume_at=step,
                          resume_done=done, earlier_turns=turns, earlier_heat=heat,
                          ask_voice_consent=_asks_voice_consent(settings, journal,
                                                                unfinished.partners))
    if settings.typed:
        journal.mark_typed(unfinished.id)
    return RunPlan(guide, context, unfinished.id, resumed=True)


def _guide_file(name: str, guide: Guide) -> str | None:
    """Where a guide that is not shipped was read from, for `--resume` to read it again."""
    if name in SHIPPED or not guide.source:
        return None
    return str(Path(guide.source).resolve())


def _resumed_guide(unfinished: UnfinishedSession) -> str:
    """The guide to carry on with: the file it was started from, when it was one."""
    if unfinished.guide_file is None:
        return unfinished.guide
    if not Path(unfinished.guide_file).is_file():
        raise GuideError(f"the check-in to resume was started from the guide file "
                         f"{unfinished.guide_file}, which is not there any more; give it "
                         f"with: {checkin_command('run', '--resume', '--guide', 'FILE')}")
    return unfinished.guide_file


def _asks_voice_consent(settings: Settings, journal: Journal,
                        partners: tuple[str, str]) -> bool:
    """Ask about learning voices when they are to be told apart and neither partner has
    answered yet: once per couple (`checkin voices forget` clears the answers)."""
    return settings.speakers and not journal.voice_consent(partners)


def _journal_context(journal: Journal, guide: Guide, today: date,
                     partners: tuple[str, str], settings: Settings) -> dict[str, Any]:
    """What the flow is told from the journal: for a review, what to read back and ask
    about; for every guide, which closing tip is next (one more each finished check-in)
    and how each partner feels loved; and whether gentle words are on (the settings
    and the guide must both allow it)."""
    review = guide.name == "review"
    return {
        "gentle_words": settings.gentle_words and guide.settings.gentle_words,
        "loved": tuple(journal.loved(partners).items()),
        "rituals": tuple(journal.latest_rituals()) if review else (),
        "plans": tuple(journal.plans_to_review()) if review else (),
        "activity": journal.activity_to_follow_up() if review else None,
        "next_review": journal.next_review(today) if review else None,
        "habit_index": journal.completed_checkins(),
    }
