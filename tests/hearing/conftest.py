"""Hearing tests read the shared recordings; without them they skip, saying why."""

from __future__ import annotations

import pytest

from speechlab.recordings import audio_missing_reason


@pytest.fixture(scope="session")
def shared_audio() -> None:
    reason = audio_missing_reason()
    if reason:
        pytest.skip(reason)
