"""`checkin voices enroll|forget|list`: the partners' own voice profiles.

A voice profile is biometric data (docs/privacy.md). `enroll` learns both voices before
a check-in, after asking each partner once. Each partner reads a short text at the
microphone, heard by the check-in's own hearing (assistant/session/enrollment.py).
`forget` deletes every profile and every answer, so the couple is asked again. `list`
says whose voice is kept, never its numbers. The assistant's own voice is `checkin
speech` (assistant/cli/speech.py); `checkin voices [FILTER]`, which listed it before,
says so in one line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import CheckinError, ConfigError
from assistant.invocation import checkin_command
from assistant.limits import problem
from assistant.settings import data_folder
from assistant.text import visible

if TYPE_CHECKING:
    from assistant.journal.store import Journal

YES = {"yes", "y", "yeah"}
ACTIONS = ("enroll", "forget", "list")


def register(sub: Any) -> None:
    voices = sub.add_parser("voices", help="your two voices, to tell you apart: enroll, "
                            "forget, list (the assistant's voice is 'checkin speech')")
    vsub = voices.add_subparsers(dest="voices_command", metavar="ACTION")
    enroll_ = vsub.add_parser(
        "enroll", help="learn both partners' voices before a check-in (asks you both first)",
        description="Learn both partners' voices before a check-in, for 'checkin run "
        "--speakers': each reads a short text aloud. Asks you both first.")
    enroll_.add_argument("--names", help='the two partners, e.g. "Ana,Ben" (default: the '
                         "config's names, else asked)")
    enroll_.add_argument("--input-device", help="the microphone (index or name fragment)")
    enroll_.add_argument("--seconds", type=float, default=None,
                         help="seconds of each partner's speech to learn from (default: 15)")
    enroll_.add_argument("--most-seconds", type=float, default=None, help=argparse.SUPPRESS)
    forget_ = vsub.add_parser("forget", help="delete every voice profile, and your answers "
                              "about learning voices")
    list_ = vsub.add_parser("list", help="whose voice profile is kept (never its numbers)")
    for parser in (enroll_, forget_, list_):
        parser.add_argument("--data-dir", type=data_folder, help="the journal's folder "
                            "(default: the config file's data_dir, your data directory, "
                            "or $CHECKIN_HOME)")
    for parser in (forget_, list_):  # the journal `run` keeps: cli/__init__.py
        parser.set_defaults(journal_reader=True)
    enroll_.set_defaults(func=enroll)
    forget_.set_defaults(func=lambda args: forget(args.data_dir))
    list_.set_defaults(func=cmd_list)
    voices.set_defaults(func=lambda args: moved([]))


def moved(rest: list[str]) -> int:
    """`checkin voices [FILTER]` listed the prompts' voices before: one line naming the new
    spelling (exit 2, as a command-line mistake)."""
    print(f"checkin: the assistant's voices are listed by "
          f"{checkin_command('speech', 'list', *rest[:1])} now; 'checkin voices' is your own "
          f"voices ({', '.join(ACTIONS)})", file=sys.stderr)
    return 2


def old_spelling(argv: list[str]) -> int | None:
    """The exit status when `argv` is the old `checkin voices FILTER` (None: it is not)."""
    if len(argv) >= 2 and argv[0] == "voices" and argv[1] not in ACTIONS \
            and not argv[1].startswith("-"):
        return moved(argv[1:])
    return None


def cmd_list(args: argparse.Namespace) -> int:
    """Whose voice profile the journal keeps: names, method and when, never the numbers."""
    from assistant.journal.store import Journal
    from assistant.text import visible

    journal = Journal.open_read_only(args.data_dir)
    if journal is None:
        print("There is no journal yet, so no voice profiles.")
        return 0
    with journal:
        profiles = journal.voice_profiles()
    if not profiles:
        print("No voice profiles are kept. Learn them with: "
              f"{checkin_command('voices', 'enroll')}")
        return 0
    for p in profiles:
        print(f"  {visible(p.partner):20} learned {p.created_at:%Y-%m-%d %H:%M} "
              f"({p.method} v{p.version}, {len(p.data)} bytes of numbers)")
    print(f"Delete them with: {checkin_command('voices', 'forget')}")
    return 0
NO = {"no", "n"}


def forget(data_dir: Path | None) -> int:
    """Delete every voice profile and consent answer, from the journal and its backups, and
    say how many profiles went. Not while a check-in runs (it holds the journal's lock)."""
    from assistant.journal.backup import forget_voices_in_backups
    from assistant.journal.lock import holding
    from assistant.journal.paths import check_is_folder, resolve_data_dir
    from assistant.journal.store import Journal

    folder = resolve_data_dir(data_dir)
    check_is_folder(folder)
    if not folder.is_dir():
        print("There is no journal yet, so no voice profiles to forget.")
        return 0
    with holding(folder):
        journal = Journal.open_existing(data_dir)
        if journal is None:
            print("There is no journal yet, so no voice profiles to forget.")
            return 0
        with journal:
            count = journal.forget_voices()
        forget_voices_in_backups(folder)
    kept = "1 voice profile" if count == 1 else f"{count} voice profiles"
    print(f"Deleted {kept}, and your answers about learning voices. "
          "You will both be asked again before any voice is learned.")
    return 0


def enroll(args: argparse.Namespace) -> int:
    """Ask both partners (unless both said yes before), then learn each voice in turn."""
    from assistant.journal.lock import holding
    from assistant.journal.paths import ensure_private_dir, resolve_data_dir
    from assistant.journal.store import Journal
    from assistant.session.plan import ask_names, parse_names
    from assistant.settings import build_settings, config_path, read_config

    settings = build_settings(args, read_config(config_path()))
    partners = parse_names(settings.names) if settings.names else ask_names()
    want = 15.0 if args.seconds is None else args.seconds
    wrong = problem("listen_seconds", want)
    if wrong:
        raise ConfigError(f"--seconds {wrong}")
    if want < 3.0:
        raise CheckinError(f"--seconds must be at least 3 (a voice needs 3 s of speech to "
                           f"learn from); got {args.seconds}")
    _microphone(settings.device)  # before anybody is asked anything
    folder = resolve_data_dir(settings.data_dir)
    ensure_private_dir(folder)
    with holding(folder), Journal.open(settings.data_dir) as journal:
        if not _agreed(journal, partners):
            print("Nothing was learned. You can still use checkin as before; run "
                  f"{checkin_command('voices', 'enroll')} if you change your minds.")
            return 0
        for name in partners:
            _learn_one(journal, partners, name, settings.device, want, args.most_seconds)
    print("Both voices are learned. Use them with: "
          f"{checkin_command('run', '--speakers')}. Delete them with: "
          f"{checkin_command('voices', 'forget')}")
    return 0


def _microphone(device: str | int | None) -> None:
    """The input device exists, or a one-line `DeviceError` says what to do."""
    from assistant.audio.devices import choose, query_devices

    choose(query_devices(rescan=True), device, "input")


def _agreed(journal: Journal, partners: tuple[str, str]) -> bool:
    """Both partners' yes: asked here once, unless both gave it before."""
    from assistant.session.plan import wall_clock

    if journal.voices_agreed(partners):
        print(f"You both agreed earlier that checkin may learn your voices "
              f"({checkin_command('voices', 'forget')} takes that back).")
        return True
    print("checkin can learn how each of your voices sounds, to tell you two apart in a "
          "check-in with --speakers: talk time by voice, and a kind reminder when one talks "
          "over the other.")
    print("A voice profile is numbers, not a recording, but it can recognise your voice: "
          f"it is biometric data. It stays in your journal on this computer ({journal.path}). "
          f"This deletes it: {checkin_command('voices', 'forget')}")
    answers = []
    for name in partners:
        given = _ask_yes_no(f"{name}, may I learn how your voice sounds? (yes/no): ")
        journal.answer_voice_consent(name, given, wall_clock())
        answers.append(given)
    return all(answers)


def _ask_yes_no(question: str) -> bool:
    while True:
        print(question, end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            raise CheckinError("no answer was typed, so no voice was learned; run "
                               f"{checkin_command('voices', 'enroll')} at the keyboard")
        answer = line.strip().casefold()
        if answer in YES or answer in NO:
            return answer in YES
        print("Please type yes, or no.")


def _learn_one(journal: Journal, partners: tuple[str, str], name: str,
               device: str | int | None, want: float, most: float | None) -> None:
    from assistant.audio.capture import MicrophoneCapture
    from assistant.errors import DeviceError
    from assistant.session.enrollment import (
        MOST_SECONDS,
        READ_ALOUD,
        Heard,
        learn,
        listen_to_one_voice,
    )
    from assistant.session.plan import wall_clock
    from assistant.session.setup import open_hearing
    from assistant.speakers.methods import MIN_ENROLL_SECONDS, default_method

    print(f"\n{visible(name)}, press Enter, then read this aloud in your usual voice:")
    print(f"\n    {READ_ALOUD}\n")
    if not sys.stdin.readline():
        raise CheckinError(f"Enter was not pressed, so {name}'s voice was not learned; run "
                           f"{checkin_command('voices', 'enroll')} at the keyboard")
    print("Listening…", flush=True)
    live = sys.stdout.isatty()

    def show(heard: Heard) -> None:
        if live:
            print(f"\r  heard {min(heard.speech_seconds, want):4.1f} of {want:.0f} s",
                  end="", flush=True)

    method = default_method()
    hearing, _ = open_hearing()
    with MicrophoneCapture(device) as mic:
        most = max(MOST_SECONDS, 3 * want) if most is None else most
        heard = listen_to_one_voice(mic, hearing, want, most, method, show)
        if mic.lost is not None:
            raise DeviceError(f"the microphone stopped: {mic.lost}")
    if live:
        print()
    if heard.speech_seconds < MIN_ENROLL_SECONDS:
        raise CheckinError(
            f"heard only {heard.speech_seconds:.1f} s of {name}'s speech in "
            f"{heard.audio_seconds:.0f} s, and {MIN_ENROLL_SECONDS:.0f} s are needed; check "
            f"the microphone with {checkin_command('mic-check')}, then run "
            f"{checkin_command('voices', 'enroll')} again")
    profile = learn(heard, method)
    journal.save_voice_profile(partners, name, method.name, method.version,
                               profile.to_bytes(), wall_clock())
    print(f"Thank you, {visible(name)}. Learned your voice from {heard.speech_seconds:.0f} s of "
          "speech.", flush=True)
