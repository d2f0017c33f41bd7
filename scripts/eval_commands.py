#!/usr/bin/env python3
"""First-try rate of every spoken command, per voice: does one "pause" pause?

    .venv/bin/python -m scripts.eval_commands [--quick] [--model PATH|NAME]

Each command phrase of the model's language (its grammar `say` phrases and the
`also` variants people use, "yeah", "done"...) is said once, alone after a moment of
quiet, by every English voice of speechlab/english.py (espeak-ng ×2, flite ×3,
festival's HTS voice) at three speeds, through the shipped command path
(`recording_pipeline`: Silero, the segmenter, the engine, the echo guard, the second
check), after the round trip a laptop's sound card makes (16 → 48 → 16 kHz). A try
counts when it gives exactly that command and nothing else; the table gives the rate
per command and voice and what was heard when it failed, so a voice that garbles one
word shows as that, not as noise in an average.

`--quick`: three voices, one speed (a smoke run of about a minute). The default model
is the English one a check-in uses. Exit status 0, or 2 when it cannot start.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from assistant.asr.engine import engine_of, load_model
from assistant.asr.models import model_language, resolve_model
from assistant.audio.frames import RATE, chunks, to_mono_16k
from assistant.errors import CheckinError
from assistant.flow.events import Command, CommandName, Utterance
from assistant.phrases import load_phrases
from assistant.session.setup import recording_pipeline
from speechlab.english import VOICES, missing_voices, say
from speechlab.voices import room_noise

SPEEDS = (0.85, 1.0, 1.2)
QUICK_VOICES = ("espeak-us", "flite-slt", "festival-slt")


def through_the_room(samples: np.ndarray) -> np.ndarray:
    """What a 48 kHz sound card gives back of a 16 kHz clip."""
    import soxr

    up = soxr.resample(samples.astype(np.float32), RATE, 48_000)
    return to_mono_16k(up, 48_000)


def heard(pipeline_args: tuple[Path, object], clip: np.ndarray) -> list[str]:
    """What the shipped path made of one clip said alone: commands and words."""
    path, model = pipeline_args
    audio = np.concatenate([room_noise(1.0, 1), through_the_room(clip), room_noise(1.5, 2)])
    pipeline = recording_pipeline(path, model=model)
    events = [e for c in chunks(audio, 0.02) for e in pipeline.process(c)]
    events += pipeline.finish(len(audio) / RATE)
    return [f"[{e.name.value}]" if isinstance(e, Command) else repr(e.text)
            for e in events if isinstance(e, (Command, Utterance))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="three voices, one speed")
    parser.add_argument("--smoke", action="store_true",
                        help="one voice, one speed, one phrase a command (for the test suite)")
    parser.add_argument("--model", default=None, help="model directory or name")
    args = parser.parse_args()
    if missing_voices():
        print(f"cannot start: {missing_voices()}", file=sys.stderr)
        return 2
    try:
        path = resolve_model(args.model)
        model = load_model(path)
    except CheckinError as err:
        print(f"cannot start: {err}", file=sys.stderr)
        return 2
    language = model_language(path) or "en"
    if language != "en":
        print(f"cannot start: the test voices speak English and {path} hears {language}",
              file=sys.stderr)
        return 2
    phrases = load_phrases(language)
    voices = QUICK_VOICES[:1] if args.smoke else QUICK_VOICES if args.quick else tuple(VOICES)
    speeds = (1.0,) if args.quick or args.smoke else SPEEDS
    print(f"model: {path} ({engine_of(path).value}, {language}); voices: {', '.join(voices)}; "
          f"speeds: {', '.join(f'x{s}' for s in speeds)}")
    hits: dict[tuple[str, str], int] = defaultdict(int)
    misses: dict[tuple[str, str], list[str]] = defaultdict(list)
    rows: list[tuple[CommandName, str]] = [
        (name, phrase) for name in CommandName
        for phrase in (phrases.say.get(name, ()) + phrases.also.get(name, ()))[
            : 1 if args.smoke else None]]
    for name, phrase in rows:
        for voice in voices:
            for speed in speeds:
                got = heard((path, model), say(phrase, voice, speed))
                if got == [f"[{name.value}]"]:
                    hits[(phrase, voice)] += 1
                else:
                    misses[(phrase, voice)].append(f"x{speed}: {' '.join(got) or '(nothing)'}")
    tries = len(speeds)
    print(f"\n{'phrase':<16}{'command':<10}" + "".join(f"{v:>14}" for v in voices) + f"{'all':>8}")
    per_command: dict[CommandName, list[int]] = defaultdict(lambda: [0, 0])
    for name, phrase in rows:
        total = sum(hits[(phrase, v)] for v in voices)
        per_command[name][0] += total
        per_command[name][1] += tries * len(voices)
        print(f"{phrase:<16}{name.value:<10}" +
              "".join(f"{hits[(phrase, v)]:>12}/{tries}" for v in voices) +
              f"{total / (tries * len(voices)):>8.0%}")
    print(f"\n{'command':<10}{'first try':>10}")
    for name, (done, of) in per_command.items():
        print(f"{name.value:<10}{done:>5}/{of:<4}{done / of:>6.0%}")
    done = sum(d for d, _ in per_command.values())
    of = sum(o for _, o in per_command.values())
    print(f"{'all':<10}{done:>5}/{of:<4}{done / of:>6.0%}")
    if misses:
        print("\nmissed (what was heard instead):")
        for (phrase, voice), what in misses.items():
            print(f"  {phrase!r} by {voice}: {'; '.join(what)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
