"""`checkin doctor`: one command that says whether a hands-free check-in will work.

It checks, in order, what `checkin run` needs (microphone, output, speech engine,
model, data directory, config file), one line each, ✓ or ✗ with the exact fix, and
exits 0 only when all pass. It takes the same settings as `run` (flags > config file >
defaults), so it checks what the check-in would use. A config file the loader refuses
is reported on its own line; the other checks then use the flags and defaults.
"""

from __future__ import annotations

import argparse
from typing import Any

from assistant.cli.checks import (
    Finding,
    check_config,
    check_data_dir,
    check_microphone,
    check_model,
    check_output,
    check_speech,
    guarded,
)
from assistant.errors import ConfigError
from assistant.invocation import checkin_command
from assistant.settings import build_settings, config_path, data_folder, read_config

LISTEN_SECONDS = 2.0


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "doctor", help="check everything a hands-free check-in needs, with the fix for each",
        description="Check, in order: the microphone, the output device, the speech engine, "
        "the speech model, the data directory and the config file. Takes the same settings "
        "as `run`.")
    parser.add_argument("--input-device", help="microphone: a name fragment or an index")
    parser.add_argument("--model", help="speech model: a name from `model list` "
                        "(e.g. whisper-tiny.en) or a model folder")
    parser.add_argument("--voice", help="the voice prompts are spoken with")
    parser.add_argument("--rate", type=int, help="speaking rate of the prompts, words per minute")
    parser.add_argument("--data-dir", type=data_folder, help="where the journal is kept")
    parser.add_argument("--seconds", type=float, default=LISTEN_SECONDS,
                        help=f"how long to listen to the microphone (default: {LISTEN_SECONDS:g})")
    parser.set_defaults(func=run_doctor)


def run_doctor(args: argparse.Namespace) -> int:
    if not 0 < args.seconds <= 60:
        raise ConfigError("--seconds must be between 0 and 60")
    path = config_path()
    problem = None
    try:
        config = read_config(path)
    except ConfigError as err:
        problem, config = str(err), {}
    settings = build_settings(args, config)
    checks = (
        ("microphone", lambda: check_microphone(settings, args.seconds)),
        ("output", lambda: check_output(settings)),
        ("speech engine", lambda: check_speech(settings)),
        ("model", lambda: check_model(settings)),
        ("data directory", lambda: check_data_dir(settings)),
        ("config", lambda: check_config(path, problem, len(config))),
    )
    findings: list[Finding] = []
    for name, check in checks:
        findings.append(guarded(name, check))
        print(findings[-1].line(), flush=True)
    failed = sum(not f.ok for f in findings)
    if failed:
        print(f"{failed} of {len(findings)} need attention; after fixing, run: "
              f"{checkin_command('doctor')}")
        return 1
    print(f"All set. Start a hands-free check-in with: {checkin_command('run')}")
    return 0
