"""`checkin run`: start a check-in (hands-free, or typed with --text)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from assistant.errors import ConfigError
from assistant.flow.events import Action, End, Save
from assistant.flow.machine import CheckinFlow, FlowContext
from assistant.guides import DEFAULT_GUIDE, Guide, load_guide
from assistant.textmode import TextCheckin, TextIO


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help="start a check-in",
                            description="Start a check-in. Without a microphone or a speech "
                            "model, use --text to type instead of speaking.")
    add_checkin_options(parser)
    parser.set_defaults(func=run)


def add_checkin_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--guide", default=DEFAULT_GUIDE,
                        help="a guide name (weekly, daily, review) or a guide file (.toml); "
                        "default: weekly")
    parser.add_argument("--names", help='the two partners\' names, e.g. "Ana,Ben" '
                        "(asked for when missing)")
    parser.add_argument("--turn-minutes", type=float,
                        help="each partner's speaking time per turn (fractions allowed)")
    parser.add_argument("--pause-minutes", type=float,
                        help="length of a cool-down pause (fractions allowed)")
    parser.add_argument("--text", action="store_true",
                        help="type instead of speaking (also works with piped input)")
    parser.add_argument("--data-dir", type=Path,
                        help="where the journal is kept (default: your data directory, "
                        "or $CHECKIN_HOME)")
    parser.add_argument("--keep-transcript", action="store_true",
                        help="also store what was said during turns (off by default)")


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


def load_checkin_guide(args: argparse.Namespace) -> Guide:
    for flag in ("turn_minutes", "pause_minutes"):
        value = getattr(args, flag)
        if value is not None and value <= 0:
            raise ConfigError(f"--{flag.replace('_', '-')} must be greater than zero, "
                              f"got {value}")
    guide = load_guide(args.guide)
    return guide.with_settings(
        turn_seconds=args.turn_minutes * 60 if args.turn_minutes else None,
        pause_seconds=args.pause_minutes * 60 if args.pause_minutes else None,
    )


def run(args: argparse.Namespace) -> int:
    from assistant.journal.store import Journal

    guide = load_checkin_guide(args)
    journal = Journal.open(args.data_dir)  # fails here, before anything starts
    try:
        if not args.text:
            print("checkin: the hands-free check-in is not available in this version yet; "
                  "starting the typed check-in.", file=sys.stderr)
        partners = parse_names(args.names) if args.names else ask_names()
        today = datetime.now().astimezone().date()
        rituals = tuple(journal.latest_rituals()) if guide.name == "review" else ()
        context = FlowContext(partners, today=today, rituals=rituals)
        flow = CheckinFlow(guide, context)
        session_id = journal.begin_session(guide.name, partners, _wall(), args.keep_transcript)

        def keep(action: Action) -> None:
            if isinstance(action, Save):
                journal.record(session_id, action.record, _wall())
            elif isinstance(action, End):
                journal.end_session(session_id, action.reason, _wall())

        def transcript(partner: str | None, text: str) -> None:
            if args.keep_transcript and partner:
                journal.transcript(session_id, partner, text, _wall())

        checkin = TextCheckin(flow, TextIO(sys.stdin, sys.stdout), on_action=keep,
                              on_utterance=transcript)
        reason = checkin.run()
    finally:
        journal.close()
    return 0 if reason in ("completed", "stopped", "declined", "heat") else 1


def _wall() -> datetime:
    return datetime.now().astimezone()
