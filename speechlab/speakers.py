"""Distinct real voices of ../shared/audio, and dialogues composed from them.

Each voice has recordings to enroll from and others, never used for enrollment, to
compose dialogues, interruptions and calm monologues from. The reference of who
speaks when comes from the hearing run on each piece alone (Silero's speech), so
the score measures attribution, not voice activity. Used by the tests and by
scripts/eval_speakers.py so both report the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.audio.frames import RATE, chunks
from assistant.session.setup import open_hearing
from speechlab.recordings import load

FRAME = 0.01
LEVEL_RMS = 0.05  # every piece brought to one speech loudness (about -26 dBFS)


@dataclass(frozen=True)
class Voice:
    enroll: tuple[str, ...]
    test: tuple[str, ...]


VOICES = {
    # The LibriVox reader (male), the ALSA announcer (female), the pocketsphinx
    # card-reading speaker.
    "reader": Voice(("librivox_ss_0870", "librivox_ss_0890"),
                    ("librivox_ss_0880", "librivox_ss_0920", "librivox_ss_0930")),
    "alsa": Voice(("alsa_Front_Center", "alsa_Front_Left", "alsa_Front_Right",
                   "alsa_Rear_Center", "alsa_Rear_Left"),
                  ("alsa_Rear_Right", "alsa_Side_Left", "alsa_Side_Right")),
    "cards": Voice(("ps_cards_001", "ps_cards_002", "ps_cards_003", "ps_cards_004"),
                   ("ps_cards_005",)),
}


def speech_of(samples: np.ndarray) -> list[tuple[float, float]]:
    hearing, _ = open_hearing()
    for chunk in chunks(samples, 0.02):
        hearing.feed(chunk)
    hearing.finish()
    return [(s.start, s.end) for s in hearing.segments]


def levelled(samples: np.ndarray) -> np.ndarray:
    """The piece at one speech loudness (its speech spans' RMS), as float."""
    x = samples.astype(np.float64) / 32768.0
    spans = speech_of(samples)
    voiced = np.concatenate([x[int(a * RATE) : int(b * RATE)] for a, b in spans]) if spans else x
    rms = float(np.sqrt(np.mean(voiced**2))) or 1.0
    return x * (LEVEL_RMS / rms)


def enrollment_audio(voice: str) -> np.ndarray:
    return np.concatenate([load(n) for n in VOICES[voice].enroll])


@dataclass
class Composition:
    samples: np.ndarray  # int16
    truth: list[set[str]]  # per 10 ms frame: who speaks
    events: list[float] = field(default_factory=list)  # interesting times (interruptions)


class _Mixer:
    def __init__(self) -> None:
        self.track = np.zeros(0)
        self.spans: list[tuple[float, float, str]] = []

    def add(self, piece: np.ndarray, at: float, who: str) -> float:
        """Mix a levelled piece in at `at` seconds; returns where it ends."""
        start = int(round(at * RATE))
        end = start + len(piece)
        if end > len(self.track):
            self.track = np.concatenate([self.track, np.zeros(end - len(self.track))])
        self.track[start:end] += piece
        for a, b in speech_of(_int16(piece)):
            self.spans.append((at + a, at + b, who))
        return end / RATE

    def done(self, events: list[float] | None = None) -> Composition:
        frames = int(len(self.track) / RATE / FRAME) + 1
        truth: list[set[str]] = [set() for _ in range(frames)]
        for a, b, who in self.spans:
            for f in range(int(round(a / FRAME)), min(frames, int(round(b / FRAME)))):
                truth[f].add(who)
        noise = np.random.default_rng(1).normal(0.0, 10 ** (-60 / 20), len(self.track))
        return Composition(_int16(self.track + noise), truth, events or [])


def _int16(x: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(x * 32768.0), -32768, 32767).astype(np.int16)


def compose_dialogue(x: str, y: str) -> Composition:
    """Turns of x and y in alternation, gaps of 0.4 and 0.8 s, and every third change
    of speaker 0.5 s early, over the end of the previous piece (an overlap)."""
    mix = _Mixer()
    xs = [(x, n) for n in VOICES[x].test]
    ys = [(y, n) for n in VOICES[y].test]
    order = [p for i in range(max(len(xs), len(ys))) for p in (xs[i:i + 1] + ys[i:i + 1])]
    t = 0.3
    for i, (who, name) in enumerate(order):
        early = i and i % 3 == 0
        at = max(0.0, t - 0.5) if early else t + (0.4 if i % 2 else 0.8)
        t = max(t, mix.add(levelled(load(name)), at, who))
    return mix.done()


def compose_interruption(holder: str, other: str, at: float = 2.0) -> Composition:
    """The holder's test recordings back to back (one calm turn), and 2 s of the other
    voice's speech over it from `at` seconds into the holder's speech."""
    mix = _Mixer()
    t = 0.3
    for name in VOICES[holder].test:
        t = mix.add(levelled(load(name)), t, holder)
    clip = levelled(load(VOICES[other].test[-1]))
    spans = speech_of(_int16(clip))
    onset = spans[0][0]
    clip = clip[int(onset * RATE) : int((onset + 2.0) * RATE)]
    start = mix.spans[0][0] + at
    mix.add(clip, start, other)
    return mix.done([start])


def reference_frames(rttm: Path, seconds: float) -> list[set[str]]:
    """Per 10 ms frame, the speakers the RTTM says are talking."""
    frames = int(seconds / FRAME) + 1
    truth: list[set[str]] = [set() for _ in range(frames)]
    for line in rttm.read_text().splitlines():
        parts = line.split()
        if parts and parts[0] == "SPEAKER":
            a, d, who = float(parts[3]), float(parts[4]), parts[7]
            for f in range(int(round(a / FRAME)), min(frames, int(round((a + d) / FRAME)))):
                truth[f].add(who)
    return truth


def resemblyzer_method() -> Any:
    """The pretrained GE2E encoder of the resemblyzer package (weights inside the
    wheel), behind the engine's Method protocol; None where it is not installed."""
    try:
        import torch
        from resemblyzer import VoiceEncoder
    except ImportError:
        return None
    torch.set_num_threads(1)  # one core, as the hearing has: CPU figures comparable
    from speechlab.encoder_method import EncoderMethod

    return EncoderMethod(VoiceEncoder(device="cpu", verbose=False))
