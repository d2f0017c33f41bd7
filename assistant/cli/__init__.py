"""The `checkin` command line: one entry point, subcommands registered by area.

Each module in COMMAND_MODULES defines `register(subparsers)`, which adds its
subcommands and sets `func` on them. Heavy libraries (vosk, sounddevice, pyttsx3)
are imported inside the command functions, never here, so `checkin --help` and the
text mode work on a machine without PortAudio or a model.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from assistant import __version__
from assistant.errors import CheckinError
from assistant.invocation import checkin_command
from assistant.settings import configured_data_dir, read_environment
from assistant.text import read_safely, visible

COMMAND_MODULES: tuple[str, ...] = (
    "assistant.cli.run",
    "assistant.cli.guides",
    "assistant.cli.journal",
    "assistant.cli.models",
    "assistant.cli.analyze",
    "assistant.cli.devices",
    "assistant.cli.speech",
    "assistant.cli.voices",
    "assistant.cli.doctor",
)


class Parser(argparse.ArgumentParser):
    """argparse, with a mistake on the command line told in one line (the command, what is
    wrong, where to read more) like every other error, instead of usage plus a line."""

    def error(self, message: str) -> NoReturn:
        words = self.prog.split()[1:] or []
        self.exit(2, f"{self.prog}: {visible(message)}; see: "
                     f"{checkin_command(*words, '--help')}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="checkin",
        description=(
            "A private, offline check-in for couples: spoken steps, equal timed turns, "
            "a pause when voices rise, and a journal of appreciations."
        ),
    )
    parser.add_argument("--version", action="version", version=f"checkin {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    read_safely(sys.stdin)  # typed bytes that are not text are kept, visibly, not fatal
    from assistant.cli.voices import old_spelling

    moved = old_spelling(list(sys.argv[1:] if argv is None else argv))
    if moved is not None:
        return moved
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 0
    try:
        read_environment()  # a bad CHECKIN_* variable: one line, before anything opens
        if getattr(args, "journal_reader", False) and args.data_dir is None:
            args.data_dir = configured_data_dir()
        return int(func(args) or 0)
    except CheckinError as err:
        print(f"checkin: {visible(str(err))}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("checkin: interrupted; everything confirmed is saved. "
              f"Continue with: {checkin_command('run', '--resume')}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
