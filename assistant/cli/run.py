"""`checkin run`: start (or resume) a check-in, hands-free or typed with --text."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.config import apply_config, config_path, read_config
from assistant.errors import CheckinError, ConfigError
from assistant.flow.events import Action, End, Save, Say, TurnRecord
from assistant.flow.machine import CheckinFlow, FlowContext
from assistant.guides import DEFAULT_GUIDE, Guide, load_guide

if TYPE_CHECKING:
    from assistant.journal.store import Journal


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "run", help="start a check-in (or resume one with --resume)",
        description="Start a check-in. Settings come from the command line, then from the "
        f"config file ({config_path()}), then from the guide. Without a microphone or a "
        "speech model, use --text to type instead of speaking.")
    parser.add_argument("--guide", help="a guide name (weekly, daily, review) or a guide file "
                        "(.toml); default: weekly, or the review when one is due")
    parser.add_argument("--names", help='the two partners\' names, e.g. "Ana,Ben" '
                        "(asked for when missing)")
    parser.add_argument("--turn-minutes", type=float,
                        help="each partner's speaking time per turn (fractions allowed)")
    parser.add_argument("--pause-minutes", type=float,
                        help="length of a cool-down pause (fractions allowed)")
    parser.add_argument("--text", action="store_true", default=None,
                        help="type instead of speaking (also works with piped input)")
    parser.add_argument("--resume", action="store_true",
                        help="continue the check-in that was interrupted, where it stopped")
    parser.add_argument("--input-device",
                        help="microphone: a name fragment or an index (see: checkin devices)")
    parser.add_argument("--model", help="Vosk model: a directory or a registry name "
                        "(see: checkin model list)")
    parser.add_argument("--voice", help="the voice prompts are spoken with (see: checkin voices)")
    parser.add_argument("--rate", type=int, help="speaking rate of the prompts, words per minute")
    parser.add_argument("--sensitivity", choices=("low", "medium", "high"),
                        help="how readily a pause is suggested when voices rise "
                        "(default: medium)")
    parser.add_argument("--data-dir", type=Path,
                        help="where the journal is kept (default: your data directory, "
                        "or $CHECKIN_HOME)")
    parser.add_argument("--no-display", dest="display", action="store_false", default=None,
                        help="print prompts line by line instead of the live view")
    parser.add_argument("--no-captions", dest="captions", action="store_false", default=None,
                        help="do not show what is being heard in the live view")
    parser.add_argument("--keep-transcript", action="store_true", default=None,
                        help="also store what was said during turns (off by default)")
    parser.set_defaults(func=run)


def parse_names(raw: str) -> tuple[str, str]:
    names = [n.strip() for n in raw.split(",")]
    if len(names) != 2 or not all(names):
        raise ConfigError(f'--names needs two names separated by a comma, e.g. "Ana,Ben"; '
                          f"got {raw!r}")
    if names[0].casefold() == names[1].casefold():
        raise ConfigError("--names needs two different names, so the turns can be told apart")
    return names[0], names[1]


def ask_names() -> tuple[str, str]:
    """Ask for the names on the terminal (or read them as the first two input lines)."""
    names: list[str] = []
    for which in ("first", "second"):
        print(f"Name of the {which} partner: ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            raise ConfigError('no names given; pass them with --names "Ana,Ben"')
        names.append(line.strip())
    return parse_names(",".join(names))


def load_checkin_guide(name: str, turn_minutes: float | None,
                       pause_minutes: float | None) -> Guide:
    for flag, value in (("turn-minutes", turn_minutes), ("pause-minutes", pause_minutes)):
        if value is not None and value <= 0:
            raise ConfigError(f"--{flag} must be greater than zero, got {value}")
    return load_guide(name).with_settings(
        turn_seconds=turn_minutes * 60 if turn_minutes else None,
        pause_seconds=pause_minutes * 60 if pause_minutes else None,
    )


@dataclass
class Plan:
    """What this run will do: which guide, who, and from where."""

    guide: Guide
    context: FlowContext
    session_id: int
    resumed: bool


def plan_checkin(args: argparse.Namespace, journal: Journal) -> Plan:
    """Settle the guide, the names and the starting point, and open the session row."""
    today = datetime.now().astimezone().date()
    if args.resume:
        return _plan_resume(args, journal, today)
    guide_name = args.guide
    due = journal.rituals_due_for_review(today)
    if guide_name is None:
        guide_name = DEFAULT_GUIDE
        if due:
            print(f"checkin: a ritual review is due ({due[0].due_on:%B %d}); starting the review "
                  "guide. Use --guide weekly for a regular check-in.", file=sys.stderr)
            guide_name = "review"
    guide = load_checkin_guide(guide_name, args.turn_minutes, args.pause_minutes)
    partners = parse_names(args.names) if args.names else ask_names()
    rituals = tuple(journal.latest_rituals()) if guide.name == "review" else ()
    next_review = journal.next_review(today) if guide.name == "review" else None
    context = FlowContext(partners, today=today, rituals=rituals, next_review=next_review,
                          wait_for_prompts=not args.text)
    session_id = journal.begin_session(guide.name, partners, _wall(),
                                       bool(args.keep_transcript))
    return Plan(guide, context, session_id, resumed=False)


def _plan_resume(args: argparse.Namespace, journal: Journal, today: date) -> Plan:
    unfinished = journal.unfinished_session()
    if unfinished is None:
        raise CheckinError("there is no interrupted check-in to resume; start one with: "
                           "checkin run")
    guide = load_checkin_guide(args.guide or unfinished.guide, args.turn_minutes,
                               args.pause_minutes)
    step = unfinished.last_step if unfinished.last_step in [s.id for s in guide.steps] else None
    summary = next((s for s in journal.sessions() if s.id == unfinished.id), None)
    turns = tuple(TurnRecord(t.step, t.partner, t.allotted, t.used, t.speech, t.ended_by)
                  for t in journal.turns(unfinished.id) if t.ended_by != "stop")
    done = 0
    kind = next((s for s in guide.steps if s.id == step), None)
    if kind is not None and summary is not None:
        if kind.kind == "turns":
            done = sum(1 for t in turns if t.step == step)
        elif kind.kind == "collect":
            done = {"appreciation": summary.appreciations, "cause": len(summary.causes),
                    "ritual": len(summary.rituals)}[kind.item]
    heat = summary.voice_raises + summary.pauses if summary else 0
    print(f"checkin: resuming the {guide.title.lower()} of {unfinished.started_at:%A %H:%M} "
          f"for {unfinished.partners[0]} and {unfinished.partners[1]}"
          f"{f' at {kind.title}' if kind else ''}.", file=sys.stderr)
    context = FlowContext(unfinished.partners, today=today,
                          rituals=tuple(journal.latest_rituals()) if guide.name == "review"
                          else (),
                          next_review=journal.next_review(today) if guide.name == "review"
                          else None, wait_for_prompts=not args.text, resume_at=step,
                          resume_done=done, earlier_turns=turns, earlier_heat=heat)
    return Plan(guide, context, unfinished.id, resumed=True)


def run(args: argparse.Namespace) -> int:
    from assistant.journal.store import Journal

    apply_config(args, read_config(config_path()))
    journal = Journal.open(args.data_dir)  # fails here, before anything starts
    voice = None
    if not args.text:
        from assistant.session_setup import check_voice

        try:
            voice = check_voice(args)
        except CheckinError as err:
            print(f"checkin: {err}", file=sys.stderr)
            print("checkin: starting the typed check-in instead.", file=sys.stderr)
            args.text = True
    try:
        plan = plan_checkin(args, journal)
        flow = CheckinFlow(plan.guide, plan.context)

        def keep(action: Action) -> None:
            if isinstance(action, Save):
                journal.record(plan.session_id, action.record, _wall())
            elif isinstance(action, End):
                journal.end_session(plan.session_id, action.reason, _wall())

        def transcript(partner: str | None, text: str) -> None:
            if args.keep_transcript and partner:
                journal.transcript(plan.session_id, partner, text, _wall())

        if voice is None:
            reason = _run_text(flow, args, keep, transcript)
        else:
            from assistant.session import run_voice

            reason = run_voice(flow, args, voice, keep, transcript)
    finally:
        journal.close()
    return 0 if reason in ("completed", "stopped", "declined", "heat") else 1


def _run_text(flow: CheckinFlow, args: argparse.Namespace,
              keep: Callable[[Action], None],
              transcript: Callable[[str | None, str], None]) -> str:
    """The typed check-in; on a terminal the prompts are also spoken when speech works."""
    from assistant.textmode import TextCheckin, TextIO

    speech = None
    if sys.stdin.isatty() and sys.stdout.isatty():
        from assistant.audio.speech import PrintedSpeech, open_speech

        opened = open_speech(args.voice, args.rate)
        if isinstance(opened, PrintedSpeech):
            print(f"checkin: prompts are printed only ({opened.reason}).", file=sys.stderr)
        else:
            speech = opened

    def act(action: Action) -> None:
        keep(action)
        if speech is not None and isinstance(action, Say):
            speech.say(action.text)

    checkin = TextCheckin(flow, TextIO(sys.stdin, sys.stdout), on_action=act,
                          on_utterance=transcript)
    try:
        return checkin.run()
    finally:
        if speech is not None:
            speech.wait_idle(10.0)
            speech.close()


def _wall() -> datetime:
    return datetime.now().astimezone()
