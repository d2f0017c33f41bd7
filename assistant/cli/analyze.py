"""`checkin analyze FILE.wav` and `checkin mic-check`: the live hearing code, on demand.

Both run the very `Hearing` processor a check-in uses, so what they print is what
the check-in would have heard. `analyze --speakers` also says who spoke when: the
speech the hearing found is cut into windows and clustered into two voices, A and B
(assistant/speakers/, docs/speakers.md).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any

from assistant.audio.frames import chunks, read_wav
from assistant.audio.hearing import Hearing
from assistant.errors import ConfigError, DeviceError
from assistant.flow.events import VoiceRaised
from assistant.limits import SENSITIVITY_LEVELS, problem
from assistant.session.setup import open_hearing

CHUNK_SECONDS = 0.02  # what the live capture delivers
MIC_CHECK_SECONDS = 5.0


def register(sub: Any) -> None:
    analyze = sub.add_parser("analyze", help="speech, levels and rising voices in a WAV recording")
    analyze.add_argument("file", metavar="FILE.wav")
    analyze.add_argument("--json", action="store_true", help="print JSON instead of text")
    analyze.add_argument(
        "--sensitivity",
        choices=SENSITIVITY_LEVELS,
        default="medium",
        help="rising-voice sensitivity (default: medium)",
    )
    analyze.add_argument(
        "--speakers", action="store_true", help="also say who spoke when (two voices, A and B)"
    )
    analyze.set_defaults(func=run_analyze)
    mic = sub.add_parser("mic-check", help="listen 5 seconds and judge the microphone")
    mic.add_argument("--device", default=None, help="input device (name or index)")
    mic.add_argument("--seconds", type=float, default=MIC_CHECK_SECONDS)
    mic.set_defaults(func=run_mic_check)


def summarize(hearing: Hearing, seconds: float, detector: str) -> dict[str, Any]:
    """The facts `analyze` prints, as plain data."""

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 1)

    return {
        "seconds": round(seconds, 2),
        "detector": detector,
        "speech_seconds": round(float(hearing.speech_seconds), 2),
        "segments": [[round(s.start, 2), round(s.end, 2)] for s in hearing.segments],
        "noise_floor_db": rounded(hearing.noise_floor_db),
        "speech_level_db": rounded(hearing.speech_level_db),
        "voice_raised": [asdict(e) for e in hearing.detector.events],
    }


def analyze_samples(
    samples: Any, sensitivity: str = "medium", speakers: bool = False
) -> dict[str, Any]:
    from assistant.speakers.windows import SpeechWindows

    hearing, name = open_hearing(sensitivity)
    cutter = SpeechWindows() if speakers else None
    windows = []
    for chunk in chunks(samples, CHUNK_SECONDS):
        heard = hearing.feed(chunk)
        if cutter is not None:
            windows.extend(cutter.feed(chunk, heard.voiced))
    hearing.finish()
    report = summarize(hearing, len(samples) / 16_000, name)
    if cutter is not None:
        windows.extend(cutter.finish())
        report["speakers"] = who_spoke_when(windows)
    return report


def who_spoke_when(windows: list[Any]) -> dict[str, Any]:
    """Turns of A, B and unsure, and each one's speech seconds."""
    from assistant.speakers.clustering import cluster_two
    from assistant.speakers.methods import default_method
    from assistant.speakers.recording import turns

    method = default_method()
    labels = cluster_two(windows, method)
    joined = turns(labels)
    seconds = {
        who: round(float(sum(t.seconds for t in joined if t.speaker == key)), 2)
        for who, key in (("A", "A"), ("B", "B"), ("unsure", None))
    }
    return {
        "method": f"{method.name} v{method.version}",
        "turns": [
            {"start": round(t.start, 2), "end": round(t.end, 2), "speaker": t.speaker or "unsure"}
            for t in joined
        ],
        "speech_seconds": seconds,
    }


def run_analyze(args: argparse.Namespace) -> int:
    report = analyze_samples(read_wav(args.file), args.sensitivity, args.speakers)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{args.file}: {report['seconds']:.2f} s, voice activity by {report['detector']}")
    print(f"speech: {report['speech_seconds']:.2f} s in {len(report['segments'])} segments")
    for start, end in report["segments"]:
        print(f"  {start:7.2f} – {end:7.2f} s  ({end - start:.2f} s)")
    print(
        f"noise floor: {_db(report['noise_floor_db'])}   speech level: "
        f"{_db(report['speech_level_db'])}"
    )
    raised = [VoiceRaised(**e) for e in report["voice_raised"]]
    if not raised:
        print("rising voices: none")
    for event in raised:
        print(
            f"rising voice at {event.audio_time:.2f} s: {event.level_db:.1f} dBFS, "
            f"calm baseline {event.baseline_db:.1f} dBFS"
        )
    if "speakers" in report:
        _print_speakers(report["speakers"])
    return 0


def _print_speakers(found: dict[str, Any]) -> None:
    seconds = found["speech_seconds"]
    print(f"who spoke when ({found['method']}; A spoke first):")
    if not found["turns"]:
        print("  nobody: no speech was heard")
        return
    for turn in found["turns"]:
        print(f"  {turn['start']:7.2f} – {turn['end']:7.2f} s  {turn['speaker']}")
    print(f"speech by voice: A {seconds['A']:.2f} s, B {seconds['B']:.2f} s, "
          f"unsure {seconds['unsure']:.2f} s")


def _db(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} dBFS"


def verdict(noise_floor: float | None, speech_level: float | None) -> tuple[str, str]:
    """A one-word judgement of the microphone and what to do about it."""
    if speech_level is None:
        return "no speech", "speak a sentence at normal loudness during the check"
    snr = speech_level - (noise_floor if noise_floor is not None else -100.0)
    if speech_level > -6:
        return "too loud", "lower the input gain or move the microphone further away"
    if speech_level < -45:
        return "too quiet", "raise the input gain or move the microphone closer"
    if snr < 15:
        return "noisy", "turn off fans or music, or move the microphone closer to you"
    return "good", "the microphone hears you clearly"


def run_mic_check(args: argparse.Namespace) -> int:
    from assistant.audio import capture

    wrong = problem("listen_seconds", args.seconds)
    if wrong:
        raise ConfigError(f"--seconds {wrong}")
    hearing, name = open_hearing()
    from rich.console import Console
    from rich.live import Live
    from rich.text import Text

    console = Console()
    console.print(f"Listening for {args.seconds:.0f} seconds: say a sentence at normal loudness.")
    with Live(Text(""), console=console, transient=True) as live:
        for chunk in _live_chunks(capture, args.device, args.seconds):
            heard = hearing.feed(chunk)
            if heard.level_db is not None:  # None: nothing new was measured yet
                live.update(_meter(heard.level_db, heard.speaking))
    hearing.finish()
    word, advice = verdict(hearing.noise_floor_db, hearing.speech_level_db)
    console.print(
        f"speech level: {_db(hearing.speech_level_db)}   "
        f"noise floor: {_db(hearing.noise_floor_db)}   ({name})"
    )
    console.print(f"verdict: {word}: {advice}")
    return 0 if word == "good" else 1


def _live_chunks(capture: Any, device: str | None, seconds: float) -> Any:
    """`seconds` of chunks from the live microphone (capture.MicrophoneCapture)."""
    spec: str | int | None = int(device) if device and device.isdigit() else device
    with capture.MicrophoneCapture(spec) as mic:
        for chunk in mic:
            yield chunk
            if chunk.end >= seconds:
                break
        if mic.lost is not None:
            raise DeviceError(f"the microphone stopped: {mic.lost}")


def _meter(level_db: float | None, speaking: bool) -> Any:
    from rich.text import Text

    level = -100.0 if level_db is None else level_db
    width = max(0, min(50, int((level + 70) * 50 / 70)))
    return Text(f"{level:6.1f} dBFS |{'#' * width:<50}| {'speech' if speaking else ''}")
