#!/usr/bin/env python3
"""Print the voice-activity table of docs/hearing.md: every candidate detector,
run through the live hearing processor, scored against the reference turns.

Usage: .venv/bin/python -m scripts.eval_hearing [--smoke]

--smoke scores one file with the product's detector (for the test suite).
"""

from __future__ import annotations

import argparse
import sys

from speechlab.recordings import (
    NOISE_ONLY,
    REFERENCED,
    audio_missing_reason,
    detectors,
    noise_after_quiet,
    score,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--smoke", action="store_true", help="one file, the product's detector")
    args = parser.parse_args()
    reason = audio_missing_reason()
    if reason:
        print(f"eval_hearing: {reason}", file=sys.stderr)
        return 2
    print(
        f"{'detector':<14} {'file':<27} {'prec':>6} {'recall':>6} "
        f"{'speech s':>8} {'ref s':>6} {'err':>6} {'gaps<=0.1s':>10}"
    )
    chosen = detectors()
    if args.smoke:
        chosen = {"silero": chosen["silero"]}  # the product's
    for label, make in chosen.items():
        for name in REFERENCED[: 1 if args.smoke else None]:
            s = score(name, make)
            print(
                f"{label:<14} {name:<27} {s.precision:6.3f} {s.recall:6.3f} "
                f"{s.speech_seconds:8.2f} {s.reference_seconds:6.2f} "
                f"{100 * s.speech_error:+5.1f}% {s.gaps_found:>6}/{s.gaps}"
            )
        if args.smoke:
            continue
        noise = score(NOISE_ONLY, make)
        later = score("noise_after_quiet", make, noise_after_quiet())
        print(f"{label:<14} {'alsa_Noise (speech s)':<27} {noise.speech_seconds:>13.2f}")
        print(f"{label:<14} {'noise after 3 s quiet':<27} {later.speech_seconds:>13.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
