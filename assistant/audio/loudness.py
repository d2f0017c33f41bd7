"""Every prompt at the same loudness, whichever voice says it.

Why: a couple sets the volume once. espeak-ng's prompts come out at about -20 dBFS
of speech, a Piper voice's anywhere from -26 to -18 dBFS by sentence and voice, and a
short "Yes." quieter than a long sentence. Each rendered piece is brought to the same
speech level (the RMS of its voiced 20 ms frames, as `tests/support/english.py` levels
its test voices), never past a peak ceiling, so nothing clips.
"""

from __future__ import annotations

import numpy as np

SPEECH_DBFS = -20.0  # espeak-ng's own level through pyttsx3 (measured: -19.4 to -21.5)
PEAK_DBFS = -1.0  # the loudest sample allowed
FRAME_SECONDS = 0.02
VOICED = 1e-3  # a frame within 30 dB of the loudest counts as speech


def speech_level(samples: np.ndarray, rate: int) -> float | None:
    """The RMS of the voiced frames in dBFS (None for silence)."""
    n = max(1, int(rate * FRAME_SECONDS))
    x = samples.astype(np.float64)
    frames = x[: len(x) // n * n].reshape(-1, n) if len(x) >= n else x.reshape(1, -1)
    power = (frames**2).mean(axis=1)
    if not len(power) or power.max() <= 0:
        return None
    voiced = power[power >= power.max() * VOICED]
    return float(10 * np.log10(voiced.mean() / 32768.0**2))


def even(samples: np.ndarray, rate: int, target_dbfs: float = SPEECH_DBFS) -> np.ndarray:
    """`samples` (int16) with their speech at `target_dbfs`, peaks at most PEAK_DBFS."""
    level = speech_level(samples, rate)
    if level is None:
        return samples
    gain = 10 ** ((target_dbfs - level) / 20)
    peak = float(np.abs(samples.astype(np.float64)).max())
    ceiling = float(np.floor(32768.0 * 10 ** (PEAK_DBFS / 20)))  # after rounding too
    gain = min(gain, ceiling / peak)
    return np.clip(np.rint(samples * gain), -32768, 32767).astype(np.int16)
