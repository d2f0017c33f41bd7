"""`checkin devices`: what checkin can hear with and play on.

The voices prompts are spoken with are `checkin speech list` (assistant/cli/speech.py).
"""

from __future__ import annotations

import argparse
from typing import Any

from assistant.invocation import checkin_command


def register(sub: Any) -> None:
    devices = sub.add_parser("devices", help="list audio devices and show which will be used")
    devices.add_argument("--input-device", help="check this input (index or name fragment)")
    devices.add_argument("--output-device", help="check this output (index or name fragment)")
    devices.set_defaults(func=cmd_devices)


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
