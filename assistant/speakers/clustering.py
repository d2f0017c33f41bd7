"""Two voices in a recording nobody enrolled: cluster the windows, then name them.

Windows are summarised as fixed vectors (the method's), split in two by k-means,
and then each side is enrolled from its own windows and every window judged again
by the two profiles, twice, which moves the windows k-means got wrong. The voices
are named A and B in the order they first speak.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.speakers.attribution import Label, judge
from assistant.speakers.methods import Method, default_method
from assistant.speakers.windows import Window

REFINE = 2
MIN_SIDE_SECONDS = 1.0  # less than this on one side: one voice only


def cluster_two(windows: Sequence[Window], method: Method | None = None) -> list[Label]:
    """Label every window A, B or unsure (None); one voice only gives all A."""
    method = method or default_method()
    if not windows:
        return []
    feats = [method.features(w.samples) for w in windows]
    vectors = np.array([method.vector(f) for f in feats])
    side = _two_means(vectors)
    labels: list[Label] = []
    for _ in range(REFINE + 1):
        seconds = [sum(w.fresh for w, s in zip(windows, side, strict=True) if s == k) / 16_000
                   for k in (0, 1)]
        if min(seconds) < MIN_SIDE_SECONDS:
            return [Label(w.start, w.end, "A", 0.0, w.decided_at) for w in windows]
        profiles = [
            method.enroll(
                [f for f, s in zip(feats, side, strict=True) if s == k],
                seconds[k],
                minimum=0.0,
            )
            for k in (0, 1)
        ]
        scorers = [method.scorer(p) for p in profiles]
        labels = [judge(w, method, scorers, ("0", "1"), method.margin) for w in windows]
        side = np.array([0 if lab.score > 0 else 1 for lab in labels])
    first = 0 if labels[0].score > 0 else 1
    for lab in labels:  # the first confident label decides who is A
        if lab.speaker is not None:
            first = int(lab.speaker)
            break
    names = {str(first): "A", str(1 - first): "B"}
    return [
        Label(lab.start, lab.end, None if lab.speaker is None else names[lab.speaker],
              lab.score if first == 0 else -lab.score, lab.decided_at)
        for lab in labels
    ]


def _two_means(vectors: np.ndarray, restarts: int = 8) -> np.ndarray:
    """k-means with k=2 on standardised vectors; the best of a few seeded starts."""
    z = (vectors - vectors.mean(axis=0)) / (vectors.std(axis=0) + 1e-9)
    rng = np.random.default_rng(0)
    best, best_cost = np.zeros(len(z), dtype=int), np.inf
    for _ in range(restarts):
        centres = z[rng.choice(len(z), size=2, replace=len(z) < 2)]
        for _ in range(20):
            dist = ((z[:, None, :] - centres[None]) ** 2).sum(axis=2)
            side = dist.argmin(axis=1)
            new = np.array([z[side == k].mean(axis=0) if (side == k).any() else centres[k]
                            for k in (0, 1)])
            if np.allclose(new, centres):
                break
            centres = new
        cost = float(((z - centres[side]) ** 2).sum())
        if cost < best_cost:
            best, best_cost = side, cost
    return best
