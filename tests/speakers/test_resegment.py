"""Where a change of voice is placed inside a stretch, once a recording's two voices are
known (clustering.py): frame ratios are given, as the two voices would score them."""

from __future__ import annotations

import numpy as np

from assistant.speakers.clustering import SWITCH, _likeliest


def ratios(*runs: tuple[float, int]) -> np.ndarray:
    """Frames of a constant ratio (first voice minus second): (value, frames) pairs."""
    return np.concatenate([np.full(n, v) for v, n in runs])


def no_new_stretch(n: int) -> np.ndarray:
    starts = np.zeros(n, dtype=bool)
    starts[0] = True
    return starts


def test_a_change_with_enough_evidence_is_placed_at_its_frame() -> None:
    r = ratios((4.0, 120), (-4.0, 90))  # 1.2 s of the first voice, then 0.9 s of the other
    voice = _likeliest(r, no_new_stretch(len(r)))
    assert voice.tolist() == [0] * 120 + [1] * 90


def test_a_blip_too_short_to_pay_for_two_changes_stays_with_the_voice_around_it() -> None:
    blip = int(SWITCH / 4.0)  # frames of the other voice worth less than two changes
    r = ratios((4.0, 100), (-4.0, blip), (4.0, 100))
    assert _likeliest(r, no_new_stretch(len(r))).tolist() == [0] * len(r)


def test_a_new_stretch_may_change_voice_for_free() -> None:
    r = ratios((4.0, 100), (-1.0, 5))  # five weak frames after a pause
    starts = no_new_stretch(len(r))
    assert _likeliest(r, starts).tolist() == [0] * 105  # inside a stretch: not worth it
    starts[100] = True
    assert _likeliest(r, starts).tolist() == [0] * 100 + [1] * 5
