"""Loudness: per-frame level in dBFS and a slow estimate of the room's noise floor.

Everything that hears the room (voice activity, speech time, rising voices, the
mic-check verdict) speaks in the same unit, dB relative to full scale, computed
here once. The work is a few numpy operations per chunk, so it can run on every
frame of a live stream.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

FRAME = 160  # samples: 10 ms at 16 kHz, the unit of every hearing decision
FRAME_SECONDS = 0.01
SILENT_DB = -100.0  # the level reported for digital silence (log of zero)
_FULL_SCALE_POWER = 32768.0 * 32768.0
SILENT_POWER = 10 ** (SILENT_DB / 10)


def frame_powers(samples: np.ndarray, frame: int = FRAME) -> np.ndarray:
    """Mean power of each whole frame relative to full scale (1.0 = 0 dBFS).

    A trailing partial frame is ignored; callers buffer it.
    """
    usable = len(samples) // frame * frame
    if usable == 0:
        return np.zeros(0)
    data = samples[:usable].astype(np.float64).reshape(-1, frame)
    return np.einsum("ij,ij->i", data, data) / (frame * _FULL_SCALE_POWER)


def power_to_db(power: np.ndarray | float) -> np.ndarray:
    """Power relative to full scale → dBFS, with silence clamped to SILENT_DB."""
    return 10.0 * np.log10(np.maximum(power, SILENT_POWER))


def frame_dbfs(samples: np.ndarray, frame: int = FRAME) -> np.ndarray:
    """Level of each whole frame in dBFS (a full-scale sine is about -3 dBFS)."""
    return power_to_db(frame_powers(samples, frame))


@dataclass
class NoiseFloor:
    """A slow, robust estimate of the level of the room when nobody speaks.

    Falls quickly to quieter frames (time constant `fall_seconds`) and rises only
    slowly (`rise_db_per_second`), so speech, a cough or a door barely move it while
    a fan switched on is followed within tens of seconds. Feed it non-speech frames
    when a voice-activity decision is available, any frames otherwise.
    """

    fall_seconds: float = 0.5
    rise_db_per_second: float = 1.0
    db: float | None = None

    def update(self, level_db: float, seconds: float = FRAME_SECONDS) -> float:
        if self.db is None:
            self.db = level_db
        elif level_db < self.db:
            self.db += (level_db - self.db) * (1.0 - math.exp(-seconds / self.fall_seconds))
        else:
            self.db = min(level_db, self.db + self.rise_db_per_second * seconds)
        return self.db


@dataclass
class LevelStats:
    """Energy-average level of a set of frames (e.g. all speech), in dBFS.

    Averaging power rather than decibels follows the loud vowels that carry a
    voice, which is what a listener calls "how loud someone speaks".
    """

    power_sum: float = 0.0
    frames: int = 0

    def add(self, power: float) -> None:
        self.power_sum += power
        self.frames += 1

    @property
    def seconds(self) -> float:
        return self.frames * FRAME_SECONDS

    @property
    def db(self) -> float | None:
        if self.frames == 0:
            return None
        return float(power_to_db(self.power_sum / self.frames))
