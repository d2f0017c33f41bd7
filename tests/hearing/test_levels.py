"""Loudness and noise floor on signals whose level is known by construction."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.audio.levels import FRAME, SILENT_DB, LevelStats, NoiseFloor, frame_dbfs


def sine(amplitude: float, seconds: float = 0.1) -> np.ndarray:
    t = np.arange(int(16_000 * seconds)) / 16_000
    return np.rint(amplitude * 32767 * np.sin(2 * np.pi * 1000 * t)).astype(np.int16)


def test_a_full_scale_sine_is_minus_three_dbfs_and_each_halving_six_less() -> None:
    assert frame_dbfs(sine(1.0)) == pytest.approx(np.full(10, -3.01), abs=0.05)
    assert frame_dbfs(sine(0.5)) == pytest.approx(np.full(10, -9.03), abs=0.05)


def test_silence_is_clamped_and_a_partial_frame_waits() -> None:
    assert list(frame_dbfs(np.zeros(FRAME * 2, dtype=np.int16))) == [SILENT_DB, SILENT_DB]
    assert len(frame_dbfs(np.zeros(FRAME - 1, dtype=np.int16))) == 0


def test_noise_floor_falls_fast_and_rises_slowly() -> None:
    floor = NoiseFloor()
    floor.update(-30.0)
    for _ in range(300):  # 3 s of a quieter room: six time constants
        floor.update(-60.0)
    assert floor.db == pytest.approx(-60.0, abs=0.1)
    before = floor.db
    for _ in range(100):  # 1 s of speech 40 dB above it
        floor.update(-20.0)
    assert floor.db - before == pytest.approx(1.0, abs=0.01)  # 1 dB per second


def test_level_stats_average_power_not_decibels() -> None:
    stats = LevelStats()
    stats.add(1.0)  # 0 dBFS
    stats.add(0.0)  # silence
    assert stats.db == pytest.approx(-3.01, abs=0.01)
    assert stats.seconds == pytest.approx(0.02)
