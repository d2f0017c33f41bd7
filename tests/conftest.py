"""Fixtures shared by every test folder: the PulseAudio room (see tests/room.py) and the
shared recordings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import room as room_module

SHARED_AUDIO = Path(__file__).resolve().parents[1] / ".." / "shared" / "audio"


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
