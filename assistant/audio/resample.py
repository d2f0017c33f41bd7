"""Changing a sound's sample rate: the one place soxr is called.

The capture resamples a device's own rate to 16 kHz block by block (`Resampler`, whose
state runs on between blocks); a rendered prompt goes to the output's rate, and to
16 kHz for the gate's copy; a file is read at 16 kHz (`resample`). soxr is imported
only when a rate differs, so a 16 kHz machine never loads it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from assistant.audio.frames import RATE


def resample(samples: np.ndarray, rate: int, to: int = RATE) -> np.ndarray:
    """`samples` at `to` hertz, in their own dtype (int16 or float32); as given when equal."""
    if rate == to:
        return samples
    import soxr

    return np.asarray(soxr.resample(samples, rate, to))


class Resampler:
    """Streaming int16 resampler to 16 kHz (soxr keeps its state between blocks)."""

    def __init__(self, in_rate: int, quality: str = "HQ") -> None:
        self.in_rate = in_rate
        self._stream: Any = None
        if in_rate != RATE:
            import soxr

            self._stream = soxr.ResampleStream(in_rate, RATE, 1, dtype="int16", quality=quality)

    def __call__(self, block: np.ndarray, last: bool = False) -> np.ndarray:
        if self._stream is None:
            return block
        return np.asarray(self._stream.resample_chunk(block, last=last), dtype=np.int16)
