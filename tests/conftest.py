"""Fixtures shared by every test folder: the PulseAudio room (see speechlab/room.py), the
shared recordings, and the bundled Whisper model and the packaged Korean Vosk model
(each loaded once for the whole session)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from speechlab import room as room_module
from speechlab.recordings import AUDIO

# faster-whisper, the reference some tests compare with, imports huggingface_hub: it
# must never look for a hub (checkin itself never imports either).
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

SHARED_AUDIO = AUDIO  # ../shared/audio, beside the checkout


@pytest.fixture(scope="session")
def room() -> Iterator[room_module.Room]:
    """The virtual room, started once per session; skips with the reason if impossible."""
    try:
        started = room_module.start_room()
    except room_module.RoomUnavailable as err:
        pytest.skip(f"no PulseAudio room: {err}")
    yield started
    room_module.stop_room()


@pytest.fixture
def plugged_room(room: room_module.Room) -> room_module.Room:
    """The room with its sink loaded (a previous test may have unplugged it)."""
    room.plug()
    return room


@pytest.fixture(scope="session")
def shared_audio() -> Path:
    """The shared test recordings; skips when ../shared/audio is absent."""
    if not (SHARED_AUDIO / "MANIFEST.txt").exists():
        pytest.skip(f"shared test recordings not found at {SHARED_AUDIO.resolve()}")
    return SHARED_AUDIO.resolve()


@pytest.fixture(scope="session")
def whisper_model_path() -> Path:
    from tests.support.models import whisper_model_path as bundled

    return bundled()


@pytest.fixture(scope="session")
def whisper_model(whisper_model_path: Path) -> Any:
    """The loaded Whisper model, shared by every test that hears English."""
    from assistant.asr.engine import load_model

    return load_model(whisper_model_path)


@pytest.fixture(scope="session")
def ko_model_path() -> Path:
    from tests.support.models import ko_model_path as packaged

    return packaged()


@pytest.fixture(scope="session")
def ko_model(ko_model_path: Path) -> Any:
    """The loaded Korean Vosk model, shared by the recognition and session tests."""
    from assistant.asr.recognizer import load_model

    return load_model(ko_model_path)


@pytest.fixture(scope="session")
def listener_parts(ko_model_path: Path, ko_model: Any) -> tuple[Path, Any]:
    """The Korean model and its path, for replays whose partners espeak-ng speaks."""
    from speechlab.voices import espeak_missing

    if espeak_missing():
        pytest.skip(str(espeak_missing()))
    return ko_model_path, ko_model
