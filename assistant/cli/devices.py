"""`checkin devices` and `checkin voices`: what checkin can hear with and speak with.

`checkin voices [FILTER]` lists the voices prompts are spoken with. `checkin voices
enroll` and `checkin voices forget` are about the partners' own voices instead
(assistant/cli/voices.py): "enroll" and "forget" are reserved words there, never
filters, since no prompt voice is called that.
"""

from __future__ import annotations

import argparse
from typing import Any

from assistant.invocation import checkin_command
from assistant.settings import data_folder


def register(sub: Any) -> None:
    devices = sub.add_parser("devices", help="list audio devices and show which will be used")
    devices.add_argument("--input-device", help="check this input (index or name fragment)")
    devices.add_argument("--output-device", help="check this output (index or name fragment)")
    devices.set_defaults(func=cmd_devices)
    voices = sub.add_parser(
        "voices", help="list the voices prompts can be spoken with; "
        "'checkin voices enroll' learns your two voices, 'checkin voices forget' deletes them",
        description="List the voices prompts can be spoken with (optionally only those "
        "containing FILTER). 'checkin voices enroll' instead learns both partners' voices "
        "before a check-in (each reads a short text aloud; asks you both first), for "
        "'checkin run --speakers'. 'checkin voices forget' deletes every voice profile, and "
        "both partners' answers about it.")
    voices.add_argument("filter", nargs="?", default="",
                        help="show only names/ids with this; or: enroll, forget")
    voices.add_argument("--data-dir", type=data_folder,
                        help="enroll, forget: the journal's folder (default: your data "
                        "directory, or $CHECKIN_HOME)")
    voices.add_argument("--names", help='enroll: the two partners, e.g. "Ana,Ben" (default: '
                        "the config's names, else asked)")
    voices.add_argument("--input-device", help="enroll: the microphone (index or name fragment)")
    voices.add_argument("--seconds", type=float, default=None,
                        help="enroll: seconds of each partner's speech to learn from "
                        "(default: 15)")
    voices.add_argument("--most-seconds", type=float, default=None, help=argparse.SUPPRESS)
    voices.set_defaults(func=cmd_voices)


def cmd_devices(args: argparse.Namespace) -> int:
    from assistant.audio.devices import Direction, choose, query_devices
    from assistant.errors import DeviceError

    devices = query_devices(rescan=True)
    sections: tuple[tuple[Direction, str], ...] = (
        ("input", "Inputs (microphones)"),
        ("output", "Outputs (speakers)"),
    )
    for direction, title in sections:
        listed = [d for d in devices if d.channels(direction) > 0]
        print(f"{title}:")
        if not listed:
            print("  (none)")
        for d in listed:
            mark = "  (default)" if d.is_default(direction) else ""
            print(
                f"  [{d.index:>2}] {d.name}  {d.channels(direction)} ch,"
                f" {d.default_rate:g} Hz, {d.hostapi}{mark}"
            )
    spec = {"input": args.input_device, "output": args.output_device}
    for direction, _title in sections:
        try:
            used = choose(devices, spec[direction], direction)
            print(f"Will use {direction}: {used.label()}")
        except DeviceError as err:
            print(f"Will use {direction}: none: {err}")
    print(f"Pick others with: {checkin_command('run', '--input-device', 'N')}")
    return 0


def cmd_voices(args: argparse.Namespace) -> int:
    if args.filter in ("enroll", "forget"):
        from assistant.cli import voices

        return voices.enroll(args) if args.filter == "enroll" else voices.forget(args.data_dir)
    from assistant.audio.tts import list_voices

    wanted = args.filter.lower()
    shown = 0
    for voice in list_voices():
        text = f"{voice.id}  {voice.name}  {','.join(voice.languages)}"
        if wanted and wanted not in text.lower():
            continue
        print(f"  {voice.id:28} {voice.name}  [{', '.join(voice.languages)}]")
        shown += 1
    print(f"{shown} voice(s). Choose one with: {checkin_command('run', '--voice', 'ID')}"
          " (or set voice in the config)")
    return 0
