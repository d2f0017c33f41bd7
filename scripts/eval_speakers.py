#!/usr/bin/env python3
"""Who-is-speaking figures on real recordings, for each method measured.

Per file: the share of speech seconds (as the hearing heard it) attributed to the
right speaker (in an overlap either speaker is right; unsure counts as wrong), the
confusion in seconds, and the time to decide (from the start of the speech a label
covers to the audio time the label was known). Then: a 2 s interruption by the other
voice and when it was noticed, and labels of the wrong voice in calm single-speaker
recordings. Files:

- two_speakers_phone_sample: clustered with no enrollment (as `checkin analyze
  --speakers`), and enrolled two-fold (each half's speech enrolls, the other is judged);
- dialogues composed from distinct real voices of ../shared/audio: turns with gaps and
  0.5 s overlaps, each voice enrolled from recordings the dialogue does not use.

Usage: .venv/bin/python -m scripts.eval_speakers [--method cepstral-gmm|resemblyzer|all]
(resemblyzer needs a venv with it and torch; see docs/speakers.md.)
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.audio.frames import RATE
from assistant.session.setup import open_hearing
from assistant.speakers.attribution import Label, enroll, judge
from assistant.speakers.clustering import cluster_two
from assistant.speakers.methods import Cepstral, Method
from assistant.speakers.recording import speech_windows
from assistant.speakers.windows import Window
from speechlab.recordings import AUDIO, audio_missing_reason, load
from speechlab.speakers import (
    VOICES,
    Composition,
    compose_dialogue,
    compose_interruption,
    enrollment_audio,
    reference_frames,
)

FRAME = 0.01


@dataclass
class Result:
    name: str
    right: float  # share of heard speech seconds attributed right
    confusion: dict[str, dict[str, float]]  # truth -> label -> seconds
    latency_mean: float
    latency_max: float
    cpu_ms_per_s: float


def score(name: str, labels: list[Label], truth: list[set[str]]) -> Result:
    """Frame by frame: the label's speaker against the reference speakers there."""
    confusion: dict[str, dict[str, float]] = {}
    right = total = 0
    for lab in labels:
        for f in range(int(round(lab.start / FRAME)), int(round(lab.end / FRAME))):
            who = truth[f] if f < len(truth) else set()
            if not who:
                continue  # the hearing heard speech where the reference has none
            key = "+".join(sorted(who))
            got = lab.speaker or "unsure"
            confusion.setdefault(key, {}).setdefault(got, 0.0)
            confusion[key][got] += FRAME
            total += 1
            right += lab.speaker in who
    waits = [lab.decided_at - lab.start for lab in labels] or [0.0]
    return Result(name, right / max(total, 1), confusion, float(np.mean(waits)),
                  float(np.max(waits)), 0.0)


def windows_of(samples: np.ndarray) -> list[Window]:
    hearing, _ = open_hearing()
    return speech_windows(samples, hearing)


def timed_judge(windows: list[Window], method: Method, scorers: list, names: tuple[str, str],
                holder: str | None = None) -> tuple[list[Label], float]:
    """Label the windows as the Attributor would (with whose turn it is, if known)."""
    start = time.process_time()
    turn = None if holder is None else names.index(holder)
    labels = [judge(w, method, scorers, names, method.margin, turn) for w in windows]
    return labels, time.process_time() - start


def profile_of(method: Method, samples: np.ndarray):  # noqa: ANN201
    return enroll(windows_of(samples), method)


def phone(method: Method) -> list[Result]:
    name = "two_speakers_phone_sample"
    samples = load(name)
    truth = reference_frames(AUDIO / f"{name}.rttm", len(samples) / RATE)
    windows = windows_of(samples)
    seconds = len(samples) / RATE
    speakers = sorted({s for t in truth for s in t})
    best = clustered(f"{name} (clustered)", windows, truth, speakers, method, seconds)
    # Enrolled: each speaker's longest turn enrolls (the flow knows whose turn it is);
    # every window outside those two turns is judged.
    turns = _longest_turns(AUDIO / f"{name}.rttm")
    train = {who: [w for w in windows if a <= w.start and w.end <= b and _only(truth, w, who)]
             for who, (a, b) in turns.items()}
    used = {id(w) for ws in train.values() for w in ws}
    test = [w for w in windows if id(w) not in used]
    scorers = [method.scorer(enroll(train[who], method)) for who in speakers]
    labels, cpu = timed_judge(test, method, scorers, (speakers[0], speakers[1]))
    enrolled = score(f"{name} (enrolled)", labels, truth)
    enrolled.cpu_ms_per_s = 1000 * cpu / seconds
    return [best, enrolled]


def clustered(name: str, windows: list[Window], truth: list[set[str]], speakers: list[str],
              method: Method, seconds: float) -> Result:
    """As `analyze --speakers`: no enrollment; A and B matched to the reference speakers
    the better way round. Decided offline, so the time to decide does not apply."""
    start = time.process_time()
    labels = cluster_two(windows, method)
    cpu = time.process_time() - start
    best = None
    for a, b in ((speakers[0], speakers[1]), (speakers[1], speakers[0])):
        named = [Label(x.start, x.end, {"A": a, "B": b}.get(x.speaker or ""), x.score,
                       x.decided_at) for x in labels]
        result = score(name, named, truth)
        if best is None or result.right > best.right:
            best = result
    assert best is not None
    best.latency_mean = best.latency_max = float("nan")
    best.cpu_ms_per_s = 1000 * cpu / seconds
    return best


def _longest_turns(rttm: Path) -> dict[str, tuple[float, float]]:
    best: dict[str, tuple[float, float]] = {}
    for line in rttm.read_text().splitlines():
        parts = line.split()
        a, d, who = float(parts[3]), float(parts[4]), parts[7]
        if who not in best or d > best[who][1] - best[who][0]:
            best[who] = (a, a + d)
    return best


def _only(truth: list[set[str]], w: Window, who: str) -> bool:
    """Most of the window's speech is this speaker alone (an enrollment the flow would
    make: the speaker's own turn)."""
    frames = truth[int(w.start / FRAME) : int(w.end / FRAME)]
    return bool(frames) and sum(f == {who} for f in frames) >= 0.8 * len(frames)


PAIRS = (("reader", "alsa"), ("reader", "cards"), ("alsa", "cards"))


def dialogues(method: Method, pairs: tuple[tuple[str, str], ...] = PAIRS
              ) -> tuple[list[Result], list[str], list[str]]:
    """Enrolled (streaming) and clustered results per composed dialogue, then the
    interruption and calm-recording lines."""
    results: list[Result] = []
    offline: list[Result] = []
    interruptions: list[str] = []
    calm: list[str] = []
    for x, y in pairs:
        names = (x, y)
        profiles = [profile_of(method, enrollment_audio(v)) for v in names]
        scorers = [method.scorer(p) for p in profiles]
        comp = compose_dialogue(x, y)
        windows = windows_of(comp.samples)
        labels, cpu = timed_judge(windows, method, scorers, names)
        result = score(f"dialogue {x}/{y}", labels, comp.truth)
        result.cpu_ms_per_s = 1000 * cpu / (len(comp.samples) / RATE)
        results.append(result)
        offline.append(clustered(f"dialogue {x}/{y} (clustered)", windows, comp.truth, [x, y],
                                 method, len(comp.samples) / RATE))
        for holder, other in ((x, y), (y, x)):
            inter: Composition = compose_interruption(holder, other)
            t0 = inter.events[0]
            got, _ = timed_judge(windows_of(inter.samples), method, scorers, names, holder)
            seen = [g.decided_at - t0 for g in got
                    if g.speaker == other and g.end > t0 and g.start < t0 + 2.0]
            interruptions.append(
                f"{other:>6} over {holder:<6} at {t0:5.2f} s: "
                + (f"noticed after {min(seen):.2f} s" if seen else "NOT noticed")
            )
            wrong = 0.0
            for piece in VOICES[holder].test:
                lone, _ = timed_judge(windows_of(load(piece)), method, scorers, names, holder)
                wrong += sum(g.seconds for g in lone if g.speaker == other)
            calm.append(f"{holder:>6} alone (vs {other:<6}): {wrong:.2f} s labelled {other}")
    return results + offline, interruptions, calm


def report(method: Method, pairs: tuple[tuple[str, str], ...] = PAIRS) -> None:
    print(f"== method {method.name} v{method.version} (margin {method.margin}) ==")
    results = phone(method)
    more, interruptions, calm = dialogues(method, pairs)
    print(f"{'file':<40} {'right':>6} {'decide mean/max s':>18} {'CPU ms/s':>9}  confusion (s)")
    for r in results + more:
        conf = "; ".join(
            f"{truth}: " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(row.items()))
            for truth, row in sorted(r.confusion.items())
        )
        print(f"{r.name:<40} {100 * r.right:5.1f}% {r.latency_mean:8.2f} / {r.latency_max:4.2f}"
              f"    {r.cpu_ms_per_s:7.2f}  {conf}")
    dialog = [r.right for r in more if "clustered" not in r.name]
    print(f"enrolled dialogues: worst {100 * min(dialog):.1f} %, "
          f"mean {100 * np.mean(dialog):.1f} %")
    print("interruptions (2 s of the other voice over the turn):")
    for line in interruptions:
        print("  " + line)
    print("calm single-speaker recordings:")
    for line in calm:
        print("  " + line)


def methods(choice: str) -> list[Method]:
    out: list[Method] = []
    if choice in ("cepstral-gmm", "all"):
        out.append(Cepstral())
    if choice in ("resemblyzer", "all"):
        from speechlab.speakers import resemblyzer_method

        found = resemblyzer_method()
        if found is None:
            print("resemblyzer is not installed in this Python: skipped", file=sys.stderr)
        else:
            out.append(found)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--method", default="all",
                        choices=["cepstral-gmm", "resemblyzer", "all"])
    parser.add_argument("--smoke", action="store_true",
                        help="the product's method, one dialogue (for the test suite)")
    args = parser.parse_args()
    if args.smoke:
        args.method = "cepstral-gmm"
    reason = audio_missing_reason()
    if reason:
        print(f"eval_speakers: {reason}", file=sys.stderr)
        return 2
    for method in methods(args.method):
        report(method, PAIRS[:1] if args.smoke else PAIRS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
