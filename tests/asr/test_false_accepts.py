"""False accepts: minutes of real continuous speech must not trigger pause or stop.

The recordings in ../shared/audio are English; they are streamed, concatenated,
through the shipped command path (`recording_pipeline`: the hearing's Silero
decision, the segmenter, Vosk and the command check, as `checkin run` wires them)
with the Korean model, for which the English speech is foreign, non-command sound.
The false-command rate per hour is printed (pytest -s) and pause, stop, next and yes
must never fire. The half-hour measurement is scripts/eval_false_accepts.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.audio.frames import RATE, chunks, read_wav
from assistant.flow.events import Command, CommandName
from assistant.session.setup import recording_pipeline
from speechlab.voices import room_noise


def real_speech(shared_audio: Path) -> np.ndarray:
    files = sorted(p for p in shared_audio.glob("*.wav") if p.name != "alsa_Noise.wav")
    parts: list[np.ndarray] = []
    for i, p in enumerate(files):
        parts += [read_wav(p), room_noise(0.8, seed=i)]
    return np.concatenate(parts)


def false_commands(model_path: Path, model: Any, audio: np.ndarray) -> list[Command]:
    pipeline = recording_pipeline(model_path, model=model)
    events = [e for c in chunks(audio, 0.02) for e in pipeline.process(c)]
    events += pipeline.finish(len(audio) / RATE)
    return [e for e in events if isinstance(e, Command)]


# Minutes of real speech through Vosk; a command said alone, and echoes, are tested
# fast in test_engines.py and test_echo.py.
@pytest.mark.slow
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
    never = (CommandName.PAUSE, CommandName.STOP, CommandName.NEXT, CommandName.YES)
    assert not [c for c in found if c.name in never]
