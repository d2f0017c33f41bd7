#!/usr/bin/env python3
"""The assistant's voices side by side: speed, first audio, load, memory, intelligibility.

    nice -n 5 .venv/bin/python -m scripts.bench_speech [--voices pyttsx3,joe] [--rate N]
                                                       [--no-wer] [--names]

Every sentence of every shipped English guide (speechlab/prompts.py, the names
"Ana" and "Ben" filled in) is rendered by each voice exactly as a check-in renders it
(`tts.open_engine`: pieces, trimming, loudness), each voice in a process of its own so
its load time and memory are its own:

- load: starting the engine (the neural voice: SHA-256 of its files, espeak-ng found,
  the onnxruntime session); RSS added: the process's resident memory after it rendered
  every prompt minus before the engine started;
- synthesis time per audio second, over all prompts;
- first audio: from asking for a prompt to its first piece ready to play, median and
  worst over all prompts (the voice line then adds at most one 46 ms block);
- intelligibility: each rendered prompt (16 kHz, half a second of quiet room around it)
  transcribed by the bundled English recognizer through the shipped listening path
  (`recording_pipeline`, whisper-tiny.en), word error rate per guide and overall, and
  each partner's name that the transcript drops (a name heard as "Anna" is a word
  error, not a drop).

`--names` adds the consent question said to "Ana", "Siobhan", "Zoë" and "Jean-Luc",
and prints what was heard. Ratios are against pyttsx3 in the same run. Exit 0, or 2
when a voice cannot start.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from scripts.bench_common import rss_mib
from speechlab.prompts import HARD_NAMES, NAMES, shipped_prompts

ROOT = Path(__file__).resolve().parents[1]  # the checkout: the child runs from it
SMOKE_PROMPTS = 3

CONSENT = "{name}, are you ready? Say yes, or no."



def child(voice: str, rate: int | None, texts: list[str], out: Path) -> dict[str, object]:
    """Render every text with one voice; its figures (the audio is saved in `out`)."""
    from assistant.audio.frames import to_mono_16k
    from assistant.audio.tts import open_engine, start_engine

    before = rss_mib()
    started = time.perf_counter()
    engine = start_engine(open_engine(voice, rate, "en"), lambda m: print(m, file=sys.stderr))
    load = time.perf_counter() - started
    firsts, render, audio = [], 0.0, 0.0
    clips: list[np.ndarray] = []
    for text in texts:
        began = time.perf_counter()
        pieces: list[np.ndarray] = []
        for samples, sample_rate in engine.render(text):
            if not pieces:
                firsts.append(time.perf_counter() - began)
            pieces.append(to_mono_16k(samples, sample_rate))
            audio += len(samples) / sample_rate
        render += time.perf_counter() - began
        clips.append(np.concatenate(pieces) if pieces else np.zeros(0, np.int16))
    np.savez(out, *clips)
    return {"voice": engine.name, "load": load, "rss_added": rss_mib() - before,
            "render": render, "audio": audio, "first_median": statistics.median(firsts),
            "first_max": max(firsts), "first_over_300ms": sum(f > 0.3 for f in firsts),
            "prompts": len(texts)}


def measure(voice: str, rate: int | None, texts: list[str], folder: Path) -> dict[str, object]:
    """One voice, in a process of its own."""
    todo = folder / f"{voice}.json"
    todo.write_text(json.dumps(texts), encoding="utf-8")
    cmd = [sys.executable, "-m", "scripts.bench_speech", "--child", voice, "--texts", str(todo)]
    if rate:
        cmd += ["--rate", str(rate)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"bench_speech: {voice} failed:\n{done.stderr.strip()}")
    if done.stderr.strip():
        print(f"({voice}: {done.stderr.strip()})")
    figures: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return figures


def transcripts(clips: list[np.ndarray]) -> list[str]:
    """What the bundled English recognizer hears in each clip, through the shipped path."""
    from assistant.asr.models import resolve_model
    from assistant.asr.results import Heard
    from assistant.audio.frames import RATE, chunks
    from assistant.session.setup import recording_pipeline
    from speechlab.voices import room_noise

    path = resolve_model("whisper-tiny.en")
    heard_all = []
    for i, clip in enumerate(clips):
        audio = np.concatenate([room_noise(0.5, i), clip, room_noise(0.7, i + 1)])
        pipeline = recording_pipeline(path, commands=False)
        heard: list[Heard] = []
        pipeline.listener.heard = heard
        for chunk in chunks(audio, 0.02):
            pipeline.process(chunk)
        pipeline.finish(len(audio) / RATE)
        heard_all.append(" ".join(h.text for h in heard))
    return heard_all


def dropped_names(reference: list[str], hypothesis: list[str], names: set[str]) -> int:
    """Names in `reference` that the best alignment deletes (nothing heard in their place)."""
    n, m = len(reference), len(hypothesis)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        cost[i][0] = i
    for j in range(m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(cost[i - 1][j] + 1, cost[i][j - 1] + 1,
                             cost[i - 1][j - 1] + (reference[i - 1] != hypothesis[j - 1]))
    dropped, i, j = 0, n, m
    while i > 0:
        if j > 0 and cost[i][j] == cost[i - 1][j - 1] + (reference[i - 1] != hypothesis[j - 1]):
            i, j = i - 1, j - 1
        elif j > 0 and cost[i][j] == cost[i][j - 1] + 1:
            j -= 1
        else:
            dropped += reference[i - 1] in names
            i -= 1
    return dropped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voices", default="pyttsx3,joe", help="comma-separated voices")
    parser.add_argument("--rate", type=int, default=None, help="words a minute (default: each "
                        "voice's own)")
    parser.add_argument("--no-wer", action="store_true", help="speed and memory only")
    parser.add_argument("--names", action="store_true", help="also the hard names")
    parser.add_argument("--smoke", action="store_true",
                        help=f"the first {SMOKE_PROMPTS} prompts only (for the test suite)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--texts", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        texts = json.loads(args.texts.read_text(encoding="utf-8"))
        print(json.dumps(child(args.child, args.rate, texts, args.texts.with_suffix(".npz"))))
        return 0

    from speechlab.english import word_errors, words_of

    by_guide = shipped_prompts()
    texts = list(dict.fromkeys(t for prompts in by_guide.values() for t in prompts))
    if args.smoke:
        texts = texts[:SMOKE_PROMPTS]
        by_guide = {guide: [t for t in prompts if t in texts]
                    for guide, prompts in by_guide.items()}
        by_guide = {guide: prompts for guide, prompts in by_guide.items() if prompts}
    if args.names:
        texts += [CONSENT.format(name=n) for n in HARD_NAMES]
    voices = [v.strip() for v in args.voices.split(",") if v.strip()]
    print(f"{len(texts)} prompts ({', '.join(f'{k} {len(v)}' for k, v in by_guide.items())}"
          f"{', hard names' if args.names else ''}); rate: {args.rate or 'each voice own'}")
    figures: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-speech-") as scratch:
        for voice in voices:
            figures[voice] = measure(voice, args.rate, texts, Path(scratch))
        base = figures[voices[0]]
        print(f"\n{'voice':34} {'load s':>7} {'RSS+ MiB':>9} {'synth/audio s':>14} "
              f"{'first median':>13} {'first max':>10} {'>300ms':>7}")
        for voice in voices:
            f = figures[voice]
            per = float(f["render"]) / float(f["audio"])  # type: ignore[arg-type]
            print(f"{str(f['voice']):34} {f['load']:7.2f} {f['rss_added']:9.0f} {per:14.3f} "
                  f"{f['first_median']:13.3f} {f['first_max']:10.3f} "
                  f"{f['first_over_300ms']:>4}/{f['prompts']}")
        for voice in voices[1:]:
            f = figures[voice]
            ratio = {k: float(f[k]) / max(float(base[k]), 1e-9)  # type: ignore[arg-type]
                     for k in ("load", "render", "first_median")}
            print(f"{voice} vs {voices[0]}: load {ratio['load']:.1f}x, synthesis "
                  f"{ratio['render']:.1f}x, first audio {ratio['first_median']:.1f}x")
        if args.no_wer:
            return 0
        print("\nword error rate by the bundled recognizer (whisper-tiny.en), names dropped:")
        names = {n.casefold() for n in (*NAMES, *HARD_NAMES)}
        for voice in voices:
            with np.load(Path(scratch) / f"{voice}.npz") as saved:
                clips = [saved[f"arr_{i}"] for i in range(len(texts))]
            heard = dict(zip(texts, transcripts(clips), strict=True))
            rows = []
            lost = [t for t in texts if dropped_names(words_of(t), words_of(heard[t]), names)]
            for guide, prompts in [*by_guide.items(), ("all", texts)]:
                errors = words = dropped = 0
                for text in prompts:
                    ref, hyp = words_of(text), words_of(heard[text])
                    errors += word_errors(ref, hyp)
                    words += len(ref)
                    dropped += dropped_names(ref, hyp, names)
                rows.append(f"{guide} {100 * errors / words:.1f} % ({dropped} names dropped)")
            print(f"  {voice:10} " + "; ".join(rows))
            for text in lost:
                print(f"    a name dropped: {text!r} heard as {heard[text]!r}")
            if args.names:
                for name in HARD_NAMES:
                    text = CONSENT.format(name=name)
                    print(f"    {text!r} heard as {heard[text]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
