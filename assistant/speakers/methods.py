"""How a stretch of speech is described and compared with a voice.

Every method turns a window of speech into features, learns a profile from labelled
windows, scores a window against a profile, and gives each window a fixed-size
vector for clustering. `Cepstral` (MFCC + Gaussian mixtures) is the product's method,
chosen by measurement (docs/speakers.md); a pretrained encoder is measured against it
by scripts/eval_speakers.py through the same protocol.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from assistant.errors import CheckinError
from assistant.speakers import features, gmm
from assistant.speakers.profile import VoiceProfile

MIN_ENROLL_SECONDS = 3.0


class Scorer(Protocol):
    def score(self, feats: np.ndarray) -> float:
        """Higher: more like this voice (comparable between two scorers of one method)."""


@runtime_checkable
class FrameScorer(Protocol):
    """A scorer that can also judge single 10 ms frames (to place a change of voice)."""

    def score(self, feats: np.ndarray) -> float: ...

    def frame_scores(self, feats: np.ndarray) -> np.ndarray: ...


class Method(Protocol):
    name: str
    version: int
    margin: float  # score difference below which a window stays unsure
    lean: float  # how far a turn moves the boundary toward its holder (attribution.py)
    window_seconds: float  # speech heard to judge one window

    def features(self, samples: np.ndarray) -> np.ndarray: ...

    def vector(self, feats: np.ndarray) -> np.ndarray: ...

    def enroll(
        self, feats: list[np.ndarray], seconds: float, minimum: float = ...
    ) -> VoiceProfile: ...

    def scorer(self, profile: VoiceProfile) -> Scorer: ...


VOICED = 0.5  # periodicity above which a frame's pitch counts
PITCH_WEIGHT = 2.0  # measured: 1.0 left the reader/ALSA dialogue at 96 %, 2.0 at 100 %
MIN_PITCH_SD = 0.05  # log Hz: a monotone enrollment must not make pitch all-decisive


def _voiced_pitch(feats: np.ndarray) -> np.ndarray:
    return feats[feats[:, features.PERIODICITY] > VOICED, features.LOG_F0]


class _VoiceScorer:
    def __init__(self, mixture: gmm.Mixture, pitch_mean: float, pitch_sd: float) -> None:
        self.mixture = mixture
        self.pitch_mean, self.pitch_sd = pitch_mean, pitch_sd

    def score(self, feats: np.ndarray) -> float:
        """Mean log-likelihood of the cepstra, plus (weighted) that of the voiced pitch."""
        if len(feats) == 0:
            return 0.0
        total = float(self.mixture.log_likelihood(feats[:, : features.CEPSTRA]).mean())
        f0 = _voiced_pitch(feats)
        if len(f0):
            z = (f0 - self.pitch_mean) / self.pitch_sd
            total += PITCH_WEIGHT * float((-0.5 * z**2).mean() - np.log(self.pitch_sd))
        return total

    def frame_scores(self, feats: np.ndarray) -> np.ndarray:
        """Per 10 ms frame: the cepstra's log-likelihood, plus the weighted pitch term on
        voiced frames (for placing a change of voice inside a window, clustering.py)."""
        total = self.mixture.log_likelihood(feats[:, : features.CEPSTRA])
        z = (feats[:, features.LOG_F0] - self.pitch_mean) / self.pitch_sd
        pitch = PITCH_WEIGHT * (-0.5 * z**2 - np.log(self.pitch_sd))
        return np.asarray(
            total + np.where(feats[:, features.PERIODICITY] > VOICED, pitch, 0.0))


class Cepstral:
    """MFCC and pitch frames; a voice is an 8-component diagonal Gaussian mixture of
    its cepstra and one Gaussian of its voiced log pitch; a window's score is its
    frames' mean log-likelihood, so A minus B is a log-likelihood ratio per frame."""

    name = "cepstral-gmm"
    version = 2
    margin = 0.25
    lean = 1.0  # calm windows of the holder score 1.6 or more, overlaps 0.5 or less
    window_seconds = 1.0

    def features(self, samples: np.ndarray) -> np.ndarray:
        return features.voice_features(samples)

    def vector(self, feats: np.ndarray) -> np.ndarray:
        """Cepstral means and spreads, and the median voiced pitch (for clustering)."""
        size = 2 * features.CEPSTRA + 1
        if len(feats) == 0:
            return np.zeros(size)
        cep = feats[:, : features.CEPSTRA]
        f0 = _voiced_pitch(feats)
        pitch = float(np.median(f0)) if len(f0) else float(np.median(feats[:, features.LOG_F0]))
        return np.concatenate([cep.mean(axis=0), cep.std(axis=0), [pitch]])

    def enroll(
        self, feats: list[np.ndarray], seconds: float, minimum: float = MIN_ENROLL_SECONDS
    ) -> VoiceProfile:
        require_enough(seconds, minimum)
        frames = np.concatenate(feats)
        mixture = gmm.fit(frames[:, : features.CEPSTRA])
        f0 = _voiced_pitch(frames)
        if len(f0) == 0:
            f0 = frames[:, features.LOG_F0]
        arrays = {
            "weights": mixture.weights,
            "means": mixture.means,
            "variances": mixture.variances,
            "pitch": np.array([f0.mean(), max(float(f0.std()), MIN_PITCH_SD)]),
        }
        return VoiceProfile(self.name, self.version, arrays, seconds)

    def scorer(self, profile: VoiceProfile) -> Scorer:
        profile.check(self.name, self.version)
        a = profile.arrays
        try:
            mixture = gmm.Mixture(a["weights"], a["means"], a["variances"])
            pitch = a["pitch"]
            ok = mixture.means.shape == mixture.variances.shape == (
                len(mixture.weights), features.CEPSTRA) and pitch.shape == (2,)
            ok = ok and bool(np.all(mixture.variances > 0)) and float(pitch[1]) > 0
        except (KeyError, AttributeError):
            ok = False
        if not ok:
            raise CheckinError("this voice profile is damaged; enroll the voice again")
        return _VoiceScorer(mixture, float(pitch[0]), float(pitch[1]))


def require_enough(seconds: float, minimum: float = MIN_ENROLL_SECONDS) -> None:
    if seconds < minimum:
        raise CheckinError(
            f"only {seconds:.1f} s of speech to learn a voice from; "
            f"{minimum:.0f} s or more are needed"
        )


def default_method() -> Method:
    return Cepstral()
