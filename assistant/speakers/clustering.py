"""Two voices in a recording nobody enrolled: cluster the windows, then name them.

Windows are summarised as fixed vectors (the method's). One k-means split is not
reliable on a few dozen windows (measured: 69 % on the phone sample), so several
starting splits are made (k-means on the leading principal directions, a few seeds
each); from each, both sides are enrolled from their own windows and every window
judged again, three times; the split whose windows fit their own voice best wins
(89.8 %). A half-second window still straddles the changes of voice inside a
stretch, so the two voices then judge every 10 ms frame, and the likeliest sequence
of voices is found (Viterbi) with a change inside a stretch costing SWITCH (93.8 %).
The voices are named A and B in the order they first speak.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.speakers.attribution import Label
from assistant.speakers.features import HOP
from assistant.speakers.methods import FrameScorer, Method, Scorer, default_method
from assistant.speakers.windows import Window

REFINE = 3
SEEDS = 4
DIRECTIONS = (1, 2, 3, 5, 8, None)  # None: every dimension
SELF_WEIGHT = 0.5
MIN_SIDE_SECONDS = 1.0  # less than this on one side: that split is one voice, not two
# What a change of voice inside a stretch must gain, in log-likelihood: about 0.3-0.5 s of
# clear evidence. Measured on the phone sample: 93.1 % at 40, 93.8 % from 80 to 240; the
# composed dialogues settle from 120 (reader/cards and ALSA/cards 100 %, reader/ALSA
# 79.7 %, against 81.3 % labelled by whole windows: its split is the problem there).
SWITCH = 120.0


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
    voices = _voices(windows, feats, best.argmax(axis=1), method)  # from the final split
    framed = [sc for sc in voices or () if isinstance(sc, FrameScorer)]
    if len(framed) == 2:
        return _resegment(windows, feats, framed)
    return _by_window(windows, best, method.margin)


def _by_window(windows: Sequence[Window], scores: np.ndarray, margin: float) -> list[Label]:
    """One label per window, for a method that cannot score single frames."""
    diff = _smooth(scores[:, 0] - scores[:, 1], [w.stretch for w in windows])
    confident = np.abs(diff) >= margin
    first = int(diff[confident][0] < 0) if confident.any() else 0
    sign = -1.0 if first else 1.0
    return [
        Label(w.start, w.end, ("A" if d * sign > 0 else "B") if ok else None, d * sign,
              w.decided_at)
        for w, d, ok in zip(windows, diff, confident, strict=True)
    ]


def _resegment(windows: Sequence[Window], feats: list[np.ndarray],
               scorers: list[FrameScorer]) -> list[Label]:
    """The likeliest voice of every frame of new speech; a label per run of one voice
    inside a window, its score the run's mean ratio (toward A). A window too short to
    have a frame is unsure."""
    ratios: list[np.ndarray] = []
    for w, f in zip(windows, feats, strict=True):
        tail = f[len(f) - min(len(f), max(1, round(w.fresh / HOP))):]
        ratios.append(scorers[0].frame_scores(tail) - scorers[1].frame_scores(tail)
                      if len(tail) else np.zeros(0))
    starts = np.zeros(sum(len(r) for r in ratios), dtype=bool)  # a new stretch begins here
    at = 0
    for i, r in enumerate(ratios):
        if len(r) and (i == 0 or windows[i].stretch != windows[i - 1].stretch):
            starts[at] = True
        at += len(r)
    voice = _likeliest(np.concatenate(ratios), starts)
    first = int(voice[0]) if len(voice) else 0  # A: whoever speaks first
    labels: list[Label] = []
    at = 0
    for w, r in zip(windows, ratios, strict=True):
        if not len(r):
            labels.append(Label(w.start, w.end, None, 0.0, w.decided_at))
            continue
        mine = voice[at:at + len(r)]
        step = (w.end - w.start) / len(r)
        cuts = [0, *(np.flatnonzero(np.diff(mine)) + 1), len(r)]
        for a, b in zip(cuts, cuts[1:], strict=False):
            toward_a = float(r[a:b].mean()) * (1.0 if first == 0 else -1.0)
            labels.append(Label(w.start + a * step, w.start + b * step,
                                "A" if mine[a] == first else "B", toward_a, w.decided_at))
        at += len(r)
    return labels


def _likeliest(ratio: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Viterbi over two voices: frame log-likelihood ratios (first minus second), free
    changes where a stretch starts, SWITCH elsewhere. 0 = the first voice, 1 = the other."""
    n = len(ratio)
    back = np.zeros((n, 2), dtype=bool)  # True: came from the other voice
    cost = np.array([ratio[0] / 2, -ratio[0] / 2]) if n else np.zeros(2)
    for i in range(1, n):
        penalty = 0.0 if starts[i] else SWITCH
        other = cost[::-1] - penalty
        back[i] = other > cost
        cost = np.maximum(cost, other) + (ratio[i] / 2, -ratio[i] / 2)
    voice = np.zeros(n, dtype=int)
    if n:
        voice[-1] = int(cost[1] > cost[0])
        for i in range(n - 1, 0, -1):
            voice[i - 1] = 1 - voice[i] if back[i, voice[i]] else voice[i]
    return voice


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
        voices = _voices(windows, feats, side, method)
        if voices is None:
            return None
        scores = np.array([[sc.score(f) for sc in voices] for f in feats])
        side = scores.argmax(axis=1)
    return scores


def _voices(windows: Sequence[Window], feats: list[np.ndarray], side: np.ndarray,
            method: Method) -> list[Scorer] | None:
    """Each side's voice, enrolled from its own windows; None if a side is too short."""
    seconds = [sum(w.fresh for w, s in zip(windows, side, strict=True) if s == k) / 16_000
               for k in (0, 1)]
    if min(seconds) < MIN_SIDE_SECONDS:
        return None
    return [
        method.scorer(method.enroll(
            [f for f, s in zip(feats, side, strict=True) if s == k], seconds[k], minimum=0.0))
        for k in (0, 1)
    ]


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
