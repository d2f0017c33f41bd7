"""A pretrained speaker encoder (resemblyzer's GE2E) as an engine Method, for the
measurements only: the product does not ship it (docs/speakers.md says why)."""

from __future__ import annotations

from typing import Any

import numpy as np

from assistant.speakers.methods import require_enough
from assistant.speakers.profile import VoiceProfile


class _Cosine:
    def __init__(self, centre: np.ndarray) -> None:
        self.centre = centre / (np.linalg.norm(centre) + 1e-9)

    def score(self, feats: np.ndarray) -> float:
        return float(feats @ self.centre)


class EncoderMethod:
    """A window's features are its 256-d embedding; a voice is the mean embedding;
    a score is the cosine similarity."""

    name = "resemblyzer-ge2e"
    version = 1
    margin = 0.02
    lean = 0.05  # measured: 0.0 noticed 4 of 6 interruptions, 0.05 the same 4 (cosine units)
    window_seconds = 1.0

    def __init__(self, encoder: Any) -> None:
        self.encoder = encoder

    def features(self, samples: np.ndarray) -> np.ndarray:
        wav = samples.astype(np.float32) / 32768.0
        return np.asarray(self.encoder.embed_utterance(wav), dtype=np.float64)

    def vector(self, feats: np.ndarray) -> np.ndarray:
        return feats

    def enroll(self, feats: list[np.ndarray], seconds: float, minimum: float = 3.0
               ) -> VoiceProfile:
        require_enough(seconds, minimum)
        centre = np.mean(feats, axis=0)
        return VoiceProfile(self.name, self.version, {"centre": centre}, seconds)

    def scorer(self, profile: VoiceProfile) -> _Cosine:
        profile.check(self.name, self.version)
        return _Cosine(profile.arrays["centre"])
