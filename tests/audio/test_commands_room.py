"""`checkin devices` / `checkin voices` and the no-device error, against real PortAudio."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from assistant.audio.capture import MicrophoneCapture
from assistant.errors import DeviceError
from assistant.invocation import checkin_command
from speechlab.room import Room
from tests.support.cli import checkin
from tests.support.commands import child


def _checkin(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return checkin(*args, env=env)


@pytest.mark.room
def test_devices_lists_the_room_and_says_what_will_be_used(plugged_room: Room) -> None:
    done = _checkin("devices", "--input-device", "pulse", env=plugged_room.env())
    assert done.returncode == 0, done.stderr
    inputs = done.stdout.split("Outputs")[0]
    assert "pulse" in inputs and "(default)" in done.stdout
    assert "Will use input: [" in done.stdout and "pulse" in done.stdout.split("Will use input:")[1]


@pytest.mark.room
def test_a_missing_input_device_is_a_one_line_error_naming_checkin_devices(
    plugged_room: Room,
) -> None:
    with pytest.raises(DeviceError) as err:
        MicrophoneCapture("no such microphone").start()
    assert "\n" not in str(err.value) and checkin_command("devices") in str(err.value)


def test_devices_without_any_sound_server_lists_no_input(tmp_path: object) -> None:
    cards = Path("/proc/asound/cards")
    if cards.exists() and "no soundcards" not in cards.read_text():
        pytest.skip("this machine has a sound card, so inputs exist without a sound server")
    env = {**os.environ, "PULSE_SERVER": f"unix:{tmp_path}/none"}
    done = _checkin("devices", env=env)
    assert done.returncode == 0
    assert "Inputs (microphones):\n  (none)" in done.stdout
    assert f"no input device found; connect one and run: {child('devices', env=env)}" in done.stdout


def test_speech_list_shows_espeak_voices() -> None:
    done = _checkin("speech", "list", "english")
    if "cannot start" in done.stderr:
        pytest.skip(f"no speech engine here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    assert "gmw/en-us" in done.stdout and "English (America)" in done.stdout
