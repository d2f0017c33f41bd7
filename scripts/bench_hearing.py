#!/usr/bin/env python3
"""CPU per audio second: the whole hearing processor (loudness + voice activity +
rising-voice detector) against the bare voice-activity library, on the same audio
in the same run (process CPU time, best of several alternating passes). The bare
Silero run is the model as its documentation runs it, straight on onnxruntime.
With --speakers, then what telling the two voices apart adds on top of the hearing
(scripts/bench_speakers.py), measured against the hearing alone in the same run.

Usage: .venv/bin/python -m scripts.bench_hearing [--passes N] [--speakers [--method M]]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

import numpy as np

from assistant.audio.activity import VoiceActivity
from assistant.audio.frames import RATE, chunks
from assistant.audio.hearing import Hearing
from assistant.audio.vad_silero import SileroVoiceActivity, find_silero_model
from assistant.audio.vad_webrtc import WebRtcVoiceActivity
from scripts.bench_common import best_cpu
from speechlab.recordings import audio_missing_reason, calm_recordings, load

SMOKE_SECONDS = 10  # of the recordings, with --smoke


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passes", type=int, default=7)
    parser.add_argument("--speakers", action="store_true",
                        help="also the CPU and memory that telling voices apart adds")
    parser.add_argument("--method", default="cepstral-gmm",
                        choices=("cepstral-gmm", "resemblyzer"))
    parser.add_argument("--smoke", action="store_true",
                        help=f"one pass over the first {SMOKE_SECONDS} s (for the test suite)")
    args = parser.parse_args()
    if args.smoke:
        args.passes = 1
    reason = audio_missing_reason()
    if reason:
        print(f"bench_hearing: {reason}", file=sys.stderr)
        return 2
    audio = np.concatenate([load(n) for n in calm_recordings()])
    if args.smoke:
        audio = audio[: SMOKE_SECONDS * RATE]
    seconds = len(audio) / RATE
    blocks = chunks(audio, 0.02)  # what capture delivers

    def bare_silero() -> None:
        """The Silero model as its own documentation runs it: onnxruntime, one
        512-sample window (plus 64 samples of context) and the state per call."""
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(
            str(find_silero_model()), sess_options=options, providers=["CPUExecutionProvider"]
        )
        state = np.zeros((2, 1, 128), dtype=np.float32)
        context = np.zeros((1, 64), dtype=np.float32)
        rate = np.array(RATE, dtype=np.int64)
        for i in range(0, len(audio) - 511, 512):
            window = audio[i : i + 512].astype(np.float32)[None] / 32768
            x = np.concatenate([context, window], axis=1)
            _, state = session.run(None, {"input": x, "state": state, "sr": rate})
            context = x[:, -64:]

    def bare_webrtc() -> None:
        import webrtcvad

        vad = webrtcvad.Vad(2)
        for i in range(0, len(audio) - 159, 160):
            vad.is_speech(audio[i : i + 160].tobytes(), RATE)

    def processor(make: Callable[[], VoiceActivity]) -> Callable[[], None]:
        def run() -> None:
            hearing = Hearing(make())
            for block in blocks:
                hearing.feed(block)
            hearing.finish()

        return run

    runs = {
        "silero": (bare_silero, processor(SileroVoiceActivity)),
        "webrtcvad": (bare_webrtc, processor(lambda: WebRtcVoiceActivity(2))),
    }
    cpu = {name: best_cpu(pair, args.passes) for name, pair in runs.items()}
    print(f"{seconds:.1f} s of audio, CPU ms per audio second (one core), best of {args.passes}")
    print(f"{'detector':<10} {'bare VAD':>9} {'hearing':>9} {'ratio':>6} {'% core':>7}")
    for name, (bare, full) in cpu.items():
        bare_ms, full_ms = 1000 * bare / seconds, 1000 * full / seconds
        print(
            f"{name:<10} {bare_ms:9.3f} {full_ms:9.3f} {full_ms / bare_ms:6.2f} "
            f"{full_ms / 10:6.2f}%"
        )
    if args.speakers:
        from scripts.bench_speakers import measure

        print()
        return measure(args.passes, args.method, SMOKE_SECONDS if args.smoke else None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
