"""False accepts: minutes of real continuous speech must not trigger pause or stop.

The recordings in ../shared/audio are English; they are streamed, concatenated,
through the full command path with every model present: the Korean model (always
here, where the English speech is foreign, non-command sound) and the English one
when installed. The false-command rate per hour is printed (pytest -s) and pause
and stop must never fire.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from assistant.asr.hearing import open_listener
from assistant.audio.frames import RATE, chunks, read_wav
from assistant.audio.vad_webrtc import WebRtcVoiceActivity
from assistant.flow.events import Command, CommandName

from .conftest import silence


def real_speech(shared_audio: Path) -> np.ndarray:
    files = sorted(p for p in shared_audio.glob("*.wav") if p.name != "alsa_Noise.wav")
    parts: list[np.ndarray] = []
    for p in files:
        parts += [read_wav(p), silence(0.8)]
    return np.concatenate(parts)


def false_commands(model_path: Path, model: Any, audio: np.ndarray) -> list[Command]:
    listener = open_listener(model_path, WebRtcVoiceActivity(), model=model)
    events = [e for c in chunks(audio, 0.02) for e in listener.feed(c)]
    events += listener.flush(len(audio) / RATE)
    return [e for e in events if isinstance(e, Command)]


def test_no_false_pause_or_stop_on_real_speech(
    ko_model: Any, ko_model_path: Path, shared_audio: Path
) -> None:
    audio = real_speech(shared_audio)
    hours = len(audio) / RATE / 3600
    assert hours * 60 > 2.0  # minutes of speech, not a sample
    found = false_commands(ko_model_path, ko_model, audio)
    print(
        f"\nko model on {hours * 60:.1f} min of English speech: {len(found)} false commands "
        f"({len(found) / hours:.0f}/h): {[c.name.value for c in found]}"
    )
    assert not [c for c in found if c.name in (CommandName.PAUSE, CommandName.STOP)]
