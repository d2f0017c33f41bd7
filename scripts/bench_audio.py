#!/usr/bin/env python3
"""CPU cost of checkin's capture path against a bare sounddevice read loop.

Both read the same input in the same run, alternating, at the same device rate:
  bare:    sd.InputStream.read() of 20 ms blocks, nothing else;
  checkin: MicrophoneCapture (callback -> bounded queue -> soxr resampling to 16 kHz)
           followed by the gate.
CPU is this process's (all threads, PortAudio's included) per second of audio.
Without --device it starts the PulseAudio room of the tests (speechlab/room.py) and plays
speech into it while measuring.

Usage: .venv/bin/python -m scripts.bench_audio [--seconds 10] [--rounds 2] [--rate 48000]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from assistant.audio.capture import MicrophoneCapture
from assistant.audio.gate import Gate, VoiceTimeline

ROOT = Path(__file__).resolve().parents[1]

SPEECH = ROOT / ".." / "shared" / "audio" / "two_speakers_phone_sample.wav"


def bare(device: str | int, rate: int, seconds: float) -> tuple[float, float]:
    import sounddevice as sd

    block = rate // 50
    frames = 0
    with sd.InputStream(device=device, samplerate=rate, channels=1, dtype="int16") as stream:
        stream.read(block)  # let the stream settle before measuring
        cpu0 = time.process_time()
        while frames < seconds * rate:
            data, _overflowed = stream.read(block)
            frames += len(data)
        cpu = time.process_time() - cpu0
    return cpu, frames / rate


def checkin(device: str | int, rate: int, seconds: float) -> tuple[float, float]:
    gate = Gate(VoiceTimeline())
    timeline = gate.timeline
    timeline.begin(0.0)  # one past prompt, so every chunk is really compared
    timeline.end(1.0)
    audio = 0.0
    with MicrophoneCapture(device, device_rate=rate) as capture:
        capture.read(1.0)
        cpu0 = time.process_time()
        while audio < seconds:
            chunk = capture.read(1.0)
            if chunk is not None:
                audio += gate(chunk).seconds
        cpu = time.process_time() - cpu0
        overflows = capture.stats.overflows
    if overflows:
        print(f"  (checkin run had {overflows} overflows)")
    return cpu, audio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", help="input device (default: start the test room)")
    parser.add_argument("--seconds", type=float, default=10.0, help="audio seconds per run")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--rate", type=int, default=48_000, help="device rate (16000: no resampling)"
    )
    parser.add_argument("--smoke", action="store_true",
                        help="one round of 1 s (for the test suite)")
    args = parser.parse_args()
    if args.smoke:
        args.seconds, args.rounds = 1.0, 1

    room = None
    device: str | int = args.device or "pulse"
    if args.device is None:
        from speechlab.room import start_room

        room = start_room()
    results: dict[str, list[tuple[float, float]]] = {"bare": [], "checkin": []}
    try:
        for _ in range(args.rounds):
            playback = room.play(SPEECH) if room is not None and SPEECH.exists() else None
            results["bare"].append(bare(device, args.rate, args.seconds))
            results["checkin"].append(checkin(device, args.rate, args.seconds))
            if playback is not None:
                playback.stop()
    finally:
        if room is not None:
            from speechlab.room import stop_room

            stop_room()
    per = {k: sum(c for c, _ in v) / sum(a for _, a in v) for k, v in results.items()}
    print(f"device {device!r} at {args.rate} Hz, {args.rounds} x {args.seconds:g} s per variant")
    print(f"{'variant':10} {'CPU s / audio s':>16} {'% of one core':>14}")
    for name, value in per.items():
        print(f"{name:10} {value:16.5f} {100 * value:13.2f}%")
    print(f"ratio checkin / bare: {per['checkin'] / per['bare']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
