"""`checkin run`: start (or resume) a check-in, hands-free or typed with --text."""

from __future__ import annotations

import argparse

from assistant.errors import ConfigError
from assistant.guides import SHIPPED
from assistant.limits import SENSITIVITY_LEVELS
from assistant.settings import build_settings, config_path, data_folder, read_config


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "run", help="start a check-in (or resume one with --resume)",
        description="Start a check-in. Settings come from the command line, then from the "
        f"config file ({_config_file()}), then from the guide. Without a microphone or a "
        "speech model, use --text to type instead of speaking.")
    parser.add_argument("--guide", help=f"a guide name ({', '.join(SHIPPED)}, or one of your "
                        "own: see checkin guides) or a guide file (.toml); default: weekly, or "
                        "the review when one is due")
    parser.add_argument("--names", help='the two partners\' names, e.g. "Ana,Ben" '
                        "(asked for when missing)")
    parser.add_argument("--turn-minutes", type=float,
                        help="each partner's speaking time per turn (fractions allowed)")
    parser.add_argument("--pause-minutes", type=float,
                        help="length of a cool-down pause (fractions allowed)")
    parser.add_argument("--reflect-minutes", type=float,
                        help="the listener's time to say back what they heard, in a "
                             "reflect step (fractions allowed)")
    parser.add_argument("--text", action="store_true", default=None,
                        help="type instead of speaking (also works with piped input)")
    parser.add_argument("--resume", action="store_true",
                        help="continue the check-in that was interrupted, where it stopped")
    parser.add_argument("--input-device",
                        help="microphone: a name fragment or an index (see: checkin devices)")
    parser.add_argument("--model", help="speech model: a name (whisper-tiny.en, the English "
                        "default; see: checkin model list) or a model folder, Whisper or Vosk")
    parser.add_argument("--voice", help="the voice prompts are spoken with: joe (the warm "
                        "voice, the default for English), pyttsx3, or another from: "
                        "checkin speech list")
    parser.add_argument("--rate", type=int, help="speaking rate of the prompts, words per minute")
    parser.add_argument("--sensitivity", choices=SENSITIVITY_LEVELS,
                        help="how readily a pause is suggested when voices rise "
                        "(default: medium)")
    parser.add_argument("--speakers", action="store_true", default=None,
                        help="tell your two voices apart, so talk time is fair and talking "
                        "over is noticed (asks both of you once; see: checkin voices forget)")
    parser.add_argument("--interruption-seconds", type=float,
                        help="talking over the speaker this long gets one kind reminder a "
                        "turn, with --speakers (default: the guide's, 3)")
    parser.add_argument("--data-dir", type=data_folder,
                        help="where the journal is kept (default: your data directory, "
                        "or $CHECKIN_HOME)")
    parser.add_argument("--no-display", dest="display", action="store_false", default=None,
                        help="print prompts line by line instead of the live view")
    parser.add_argument("--no-captions", dest="captions", action="store_false", default=None,
                        help="do not show what is being heard in the live view")
    parser.add_argument("--keep-transcript", action="store_true", default=None,
                        help="also store what was said during turns (off by default)")
    parser.add_argument("--no-gentle-words", dest="gentle_words", action="store_false",
                        default=None,
                        help="do not notice \"you always\" or \"you never\" in a turn, nor "
                        "offer the tip after it (nothing said is kept either way)")
    parser.set_defaults(func=run)


def _config_file() -> str:
    """Where the config file is, for the help (a bad $CHECKIN_CONFIG is told when run)."""
    try:
        return str(config_path())
    except ConfigError:
        return "$CHECKIN_CONFIG"


def run(args: argparse.Namespace) -> int:
    """Build the settings once (defaults < config file < flags) and run the check-in."""
    from assistant.session.setup import run_checkin

    return run_checkin(build_settings(args, read_config(config_path())))
