"""Two voices in a recording nobody enrolled: cluster the windows, then name them.

Windows are summarised as fixed vectors (the method's). One k-means split is not
reliable on a few dozen windows (measured: 69 % on the phone sample), so several
starting splits are made (k-means on the leading principal directions, a few seeds
each); from each, both sides are enrolled from their own windows and every window
judged again, three times; the split whose windows fit their own voice best wins
(90 %). The voices are named A and B in the order they first speak.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.speakers.attribution import Label
from assistant.speakers.methods import Method, default_method
from assistant.speakers.windows import Window

REFINE = 3
SEEDS = 4
DIRECTIONS = (1, 2, 3, 5, 8, None)  # None: every dimension
SELF_WEIGHT = 0.5
MIN_SIDE_SECONDS = 1.0  # less than this on one side: that split is one voice, not two


def cluster_two(windows: Sequence[Window], method: Method | None = None) -> list[Label]:
    """Label every window A, B or unsure (None). Two voices are assumed: a split with
    less than MIN_SIDE_SECONDS on a side is refused, and with no split left all is A;
    a longer recording of one voice is still split (measured: the gain of two models
    over one does not tell one voice from two on these recordings)."""
    method = method or default_method()
    if not windows:
        return []
    feats = [method.features(w.samples) for w in windows]
    vectors = np.array([method.vector(f) for f in feats])
    best: np.ndarray | None = None
    best_fit = -np.inf
    for start in _starts(vectors):
        scores = _refine(windows, feats, start, method)
        if scores is not None and scores.max(axis=1).mean() > best_fit:
            best, best_fit = scores, float(scores.max(axis=1).mean())
    if best is None:
        return [Label(w.start, w.end, "A", 0.0, w.decided_at) for w in windows]
    diff = _smooth(best[:, 0] - best[:, 1], [w.stretch for w in windows])
    confident = np.abs(diff) >= method.margin
    first = int(diff[confident][0] < 0) if confident.any() else 0
    sign = -1.0 if first else 1.0
    return [
        Label(w.start, w.end, ("A" if d * sign > 0 else "B") if ok else None, d * sign,
              w.decided_at)
        for w, d, ok in zip(windows, diff, confident, strict=True)
    ]


def _smooth(diff: np.ndarray, stretches: list[int]) -> np.ndarray:
    """Each window's score averaged with its neighbours in the same stretch: a recording
    has its future, and one voice rarely lasts less than three windows."""
    out = diff.copy()
    for i in range(len(diff)):
        near = [j for j in (i - 1, i, i + 1)
                if 0 <= j < len(diff) and stretches[j] == stretches[i]]
        out[i] = SELF_WEIGHT * diff[i] + (1 - SELF_WEIGHT) * np.mean(diff[near])
    return out


def _refine(windows: Sequence[Window], feats: list[np.ndarray], side: np.ndarray,
            method: Method) -> np.ndarray | None:
    """Enroll each side and judge every window again; the last scores (windows x 2),
    or None when a side has too little speech to be a voice."""
    scores = None
    for _ in range(REFINE):
        seconds = [sum(w.fresh for w, s in zip(windows, side, strict=True) if s == k) / 16_000
                   for k in (0, 1)]
        if min(seconds) < MIN_SIDE_SECONDS:
            return None
        scorers = [
            method.scorer(method.enroll(
                [f for f, s in zip(feats, side, strict=True) if s == k], seconds[k], minimum=0.0))
            for k in (0, 1)
        ]
        scores = np.array([[sc.score(f) for sc in scorers] for f in feats])
        side = scores.argmax(axis=1)
    return scores


def _starts(vectors: np.ndarray) -> list[np.ndarray]:
    """Starting splits: k-means (k=2) on the leading principal directions, seeded."""
    z = (vectors - vectors.mean(axis=0)) / (vectors.std(axis=0) + 1e-9)
    if len(z) < 2:
        return []
    _, _, directions = np.linalg.svd(z, full_matrices=False)
    out: list[np.ndarray] = []
    for count in DIRECTIONS:
        projected = z if count is None else z @ directions[:count].T
        out.extend(_two_means(projected, seed) for seed in range(SEEDS))
    return out


def _two_means(z: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = z[rng.choice(len(z), size=2, replace=False)]
    side = np.zeros(len(z), dtype=int)
    for _ in range(30):
        side = ((z[:, None, :] - centres[None]) ** 2).sum(axis=2).argmin(axis=1)
        new = np.array([z[side == k].mean(axis=0) if (side == k).any() else centres[k]
                        for k in (0, 1)])
        if np.allclose(new, centres):
            break
        centres = new
    return side
