"""The shared recordings and their reference speech, and how hearing is scored.

Used by the tests and by scripts/eval_hearing.py so both report the same figures.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.audio.activity import VoiceActivity
from assistant.audio.frames import RATE, chunks, read_wav
from assistant.audio.hearing import Hearing, HearingSettings, Segment

AUDIO = Path(__file__).resolve().parents[1] / ".." / "shared" / "audio"
FRAME_S = 0.01
GAP_TOLERANCE = 0.1  # seconds: a reference silence must be found to within this
REFERENCED = ("two_speakers_phone_sample", "composite_turns_known_gaps")
NOISE_ONLY = "alsa_Noise"
# One reader (LibriVox), in reading order: the calm voice of the escalation tests.
LIBRIVOX = ("0870", "0880", "0890", "0920", "0930")


def audio_missing_reason() -> str | None:
    if not (AUDIO / "MANIFEST.txt").is_file():
        return f"the shared recordings are not at {AUDIO.resolve()} (../shared/audio)"
    return None


def load(name: str) -> np.ndarray:
    return read_wav(AUDIO / f"{name}.wav")


def calm_recordings() -> list[str]:
    """Every recording of calm speech (all but the noise burst)."""
    return sorted(p.stem for p in AUDIO.glob("*.wav") if p.stem != NOISE_ONLY)


def reference_spans(name: str) -> list[tuple[float, float]]:
    """Merged speech spans of the RTTM reference (overlapping turns joined)."""
    path = AUDIO / f"{name}.rttm"
    if not path.exists():
        return []
    turns = []
    for line in path.read_text().splitlines():
        parts = line.split()
        if parts and parts[0] == "SPEAKER":
            start, length = float(parts[3]), float(parts[4])
            turns.append((start, start + length))
    merged: list[tuple[float, float]] = []
    for start, end in sorted(turns):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def frame_mask(spans: list[tuple[float, float]] | list[Segment], frames: int) -> np.ndarray:
    mask = np.zeros(frames, dtype=bool)
    for span in spans:
        start, end = (span.start, span.end) if isinstance(span, Segment) else span
        mask[int(round(start / FRAME_S)) : int(round(end / FRAME_S))] = True
    return mask


def hear(
    samples: np.ndarray,
    vad: VoiceActivity,
    settings: HearingSettings | None = None,
    chunk_seconds: float = 0.02,
) -> Hearing:
    """Run the live processor over a recording, chunk by chunk, as capture would."""
    hearing = Hearing(vad, settings)
    for chunk in chunks(samples, chunk_seconds):
        hearing.feed(chunk)
    hearing.finish()
    return hearing


@dataclass(frozen=True)
class Score:
    name: str
    precision: float
    recall: float
    speech_seconds: float
    reference_seconds: float
    gaps_found: int
    gaps: int

    @property
    def speech_error(self) -> float:
        """Measured speech time relative to the reference (0.02 = 2 % more)."""
        if self.reference_seconds == 0:
            return 0.0
        return self.speech_seconds / self.reference_seconds - 1.0


def gaps_found(found: list[Segment], spans: list[tuple[float, float]]) -> int:
    """Reference silences between speech that hearing found with both edges within tolerance."""
    silences = [(a.end, b.start) for a, b in zip(found, found[1:], strict=False)]
    count = 0
    for (_, gap_start), (gap_end, _) in zip(spans, spans[1:], strict=False):
        if any(
            abs(s - gap_start) <= GAP_TOLERANCE and abs(e - gap_end) <= GAP_TOLERANCE
            for s, e in silences
        ):
            count += 1
    return count


def score(
    name: str, make_vad: Callable[[], VoiceActivity], samples: np.ndarray | None = None
) -> Score:
    samples = load(name) if samples is None else samples
    hearing = hear(samples, make_vad())
    frames = len(samples) * 100 // RATE
    spans = reference_spans(name)
    ref = frame_mask(spans, frames)
    got = frame_mask(hearing.segments, frames)
    hits = int((ref & got).sum())
    return Score(
        name=name,
        precision=hits / got.sum() if got.any() else (1.0 if not ref.any() else 0.0),
        recall=hits / ref.sum() if ref.any() else 1.0,
        speech_seconds=hearing.speech_seconds,
        reference_seconds=sum(e - s for s, e in spans),
        gaps_found=gaps_found(hearing.segments, spans),
        gaps=max(0, len(spans) - 1),
    )


def detectors() -> dict[str, Callable[[], VoiceActivity]]:
    """The candidates measured against each other (product choice: "silero")."""
    from assistant.audio.vad_silero import SileroVoiceActivity
    from assistant.audio.vad_webrtc import LevelGate, WebRtcVoiceActivity

    return {
        "webrtc-2": lambda: WebRtcVoiceActivity(2),
        "webrtc-3": lambda: WebRtcVoiceActivity(3),
        "webrtc-2+gate": lambda: LevelGate(WebRtcVoiceActivity(2)),
        "silero": SileroVoiceActivity,
    }


def noise_after_quiet() -> np.ndarray:
    """The noise burst arriving after 3 s of quiet room (the 3.5 s gap of the composite)."""
    quiet = load("composite_turns_known_gaps")[int(18.3 * RATE) : int(21.5 * RATE)]
    return np.concatenate([quiet, load(NOISE_ONLY)])


def piece_spans() -> dict[str, list[tuple[float, float]]]:
    """Reference speech of each recording the composite was built from, in its own time.

    composite_turns_known_gaps.json gives every piece's offset and speech spans.
    """
    data = json.loads((AUDIO / "composite_turns_known_gaps.json").read_text())
    out: dict[str, list[tuple[float, float]]] = {}
    for piece in data["pieces"]:
        offset = piece["piece_start"]
        spans = [(s - offset, e - offset) for s, e in piece["speech"]]
        out[Path(piece["piece"]).stem] = spans
    return out


def voice_of(name: str) -> int | None:
    """Which voice speaks in a recording, as the session would tell it.

    One voice per known reader (the ALSA announcer, the LibriVox reader); each other
    single-speaker recording its own voice; None for the recordings of several
    people (the phone call, the composite), which the session would hear outside
    any one partner's turn.
    """
    if name.startswith("alsa_"):
        return 0
    if name.startswith("librivox_"):
        return 1
    if name in ("two_speakers_phone_sample", "composite_turns_known_gaps"):
        return None
    return 2 + sorted(calm_recordings()).index(name)


def hear_as_session(
    names: list[str], vad: VoiceActivity, settings: HearingSettings | None = None
) -> Hearing:
    """Play recordings back to back, telling the processor whose voice each one is."""
    hearing = Hearing(vad, settings)
    start = 0.0
    for name in names:
        hearing.set_partner(voice_of(name))
        samples = load(name)
        for chunk in chunks(samples, 0.02, start):
            hearing.feed(chunk)
        start += len(samples) / RATE
    hearing.finish()
    return hearing
