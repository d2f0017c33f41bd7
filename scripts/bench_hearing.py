#!/usr/bin/env python3
"""CPU per audio second: the whole hearing processor (loudness + voice activity +
rising-voice detector) against the bare voice-activity library, on the same audio
in the same run (process CPU time, best of several passes).

Usage: .venv/bin/python scripts/bench_hearing.py [--passes N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.audio.frames import RATE, AudioChunk, chunks  # noqa: E402
from assistant.audio.hearing import Hearing  # noqa: E402
from assistant.audio.vad_silero import SileroVoiceActivity  # noqa: E402
from assistant.audio.vad_webrtc import WebRtcVoiceActivity  # noqa: E402
from tests.hearing.reference import audio_missing_reason, calm_recordings, load  # noqa: E402


def cpu(run: object, passes: int) -> float:
    best = float("inf")
    for _ in range(passes):
        start = time.process_time()
        run()  # type: ignore[operator]
        best = min(best, time.process_time() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    reason = audio_missing_reason()
    if reason:
        print(f"bench_hearing: {reason}", file=sys.stderr)
        return 2
    audio = np.concatenate([load(n) for n in calm_recordings()])
    seconds = len(audio) / RATE
    blocks = chunks(audio, 0.02)  # what capture delivers
    windows = [AudioChunk(audio[i : i + 512], i / RATE) for i in range(0, len(audio) - 511, 512)]

    def bare_silero() -> None:
        vad = SileroVoiceActivity()
        for window in windows:
            vad.is_speech(window)

    def bare_webrtc() -> None:
        import webrtcvad

        vad = webrtcvad.Vad(2)
        for i in range(0, len(audio) - 159, 160):
            vad.is_speech(audio[i : i + 160].tobytes(), RATE)

    def processor(make: object) -> object:
        def run() -> None:
            hearing = Hearing(make())  # type: ignore[operator]
            for block in blocks:
                hearing.feed(block)
            hearing.finish()

        return run

    rows = [
        ("silero", cpu(bare_silero, args.passes), cpu(processor(SileroVoiceActivity), args.passes)),
        (
            "webrtcvad",
            cpu(bare_webrtc, args.passes),
            cpu(processor(lambda: WebRtcVoiceActivity(2)), args.passes),
        ),
    ]
    print(f"{seconds:.1f} s of audio, CPU ms per audio second (one core), best of {args.passes}")
    print(f"{'detector':<10} {'bare VAD':>9} {'hearing':>9} {'ratio':>6} {'% core':>7}")
    for name, bare, full in rows:
        bare_ms, full_ms = 1000 * bare / seconds, 1000 * full / seconds
        print(
            f"{name:<10} {bare_ms:9.3f} {full_ms:9.3f} {full_ms / bare_ms:6.2f} "
            f"{full_ms / 10:6.2f}%"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
