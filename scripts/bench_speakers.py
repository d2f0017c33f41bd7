#!/usr/bin/env python3
"""CPU of speaker attribution on top of the hearing, in the same run.

The hearing alone (the check-in's own, Silero) and the hearing plus the attribution
(windows cut from its voiced chunks, each judged between two enrolled voices) run over
the same calm recordings in capture-sized chunks, alternating passes, best of each
(process CPU time). Also the memory the method's code and model add to the process
(resident set, read from /proc before and after loading it and judging one window).

Usage: .venv/bin/python -m scripts.bench_speakers [--passes N] [--method cepstral-gmm|resemblyzer]
(also run by: .venv/bin/python -m scripts.bench_hearing --speakers)
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from assistant.audio.frames import RATE, chunks
from assistant.session.setup import open_hearing
from scripts.bench_common import best_cpu, rss_mib
from speechlab.recordings import audio_missing_reason, calm_recordings, load

METHODS = ("cepstral-gmm", "resemblyzer")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--method", default="cepstral-gmm", choices=METHODS)
    parser.add_argument("--smoke", action="store_true",
                        help="one pass over the first 10 s (for the test suite)")
    args = parser.parse_args()
    return measure(1 if args.smoke else args.passes, args.method, 10.0 if args.smoke else None)


def measure(passes: int, method_name: str, seconds: float | None = None) -> int:
    """Print the attribution's CPU over the hearing's (on the first `seconds` of the
    recordings, or all), and its memory; 2 when it cannot."""
    reason = audio_missing_reason()
    if reason:
        print(f"bench_speakers: {reason}", file=sys.stderr)
        return 2
    open_hearing()  # the hearing's own libraries are loaded before the baseline
    before = rss_mib()
    from assistant.speakers.attribution import Attributor, enroll
    from assistant.speakers.recording import speech_windows
    from speechlab.speakers import enrollment_audio

    if method_name == "resemblyzer":
        from speechlab.speakers import resemblyzer_method

        method = resemblyzer_method()
        if method is None:
            print("bench_speakers: resemblyzer is not installed in this Python", file=sys.stderr)
            return 2
    else:
        from assistant.speakers.methods import Cepstral

        method = Cepstral()
    profiles = tuple(
        enroll(speech_windows(enrollment_audio(v), open_hearing()[0]), method)
        for v in ("reader", "alsa")
    )
    loaded = rss_mib()
    audio = np.concatenate([load(n) for n in calm_recordings()])
    if seconds is not None:
        audio = audio[: int(seconds * RATE)]
    seconds = len(audio) / RATE
    blocks = chunks(audio, 0.02)
    labelled: list[int] = []

    def hearing_alone() -> None:
        hearing, _ = open_hearing()
        for block in blocks:
            hearing.feed(block)
        hearing.finish()

    def with_attribution() -> None:
        hearing, _ = open_hearing()
        who = Attributor(profiles, ("reader", "alsa"), method)  # type: ignore[arg-type]
        for block in blocks:
            who.feed(block, hearing.feed(block).voiced)
        hearing.finish()
        who.finish()
        labelled.append(len(who.labels))

    alone, both = best_cpu((hearing_alone, with_attribution), passes)
    extra_ms = 1000 * (both - alone) / seconds
    print(f"{seconds:.1f} s of audio, {labelled[-1]} windows judged, method {method.name}, "
          f"best of {passes}")
    print(f"hearing alone        {1000 * alone / seconds:7.3f} ms CPU per audio second")
    print(f"hearing + attribution {1000 * both / seconds:6.3f} ms CPU per audio second")
    print(f"attribution adds     {extra_ms:7.3f} ms per audio second = {extra_ms / 10:.2f} % "
          f"of one core (ratio {both / alone:.3f}x the hearing)")
    print(f"memory: {before:.0f} MiB with the hearing, {loaded:.0f} MiB with the method loaded "
          f"and two voices enrolled (+{loaded - before:.0f} MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
