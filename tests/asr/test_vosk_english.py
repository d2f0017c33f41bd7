"""English model tests: run when vosk-model-small-en-us-0.15 is installed, else skip.

CI has no internet, so the English model is usually absent there; on a developer's
machine `checkin model download` installs it and these run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.audio.frames import read_wav
from assistant.flow.events import Command, CommandName, Utterance
from speechlab.voices import silence, speak
from tests.support.listening import bare_vosk_words, listen, pipeline_heard


@pytest.fixture(scope="module")
def en_model(en_model_path: Path) -> Any:
    from assistant.asr.recognizer import load_model

    return load_model(en_model_path)


def test_real_recording_matches_bare_vosk(en_model: Any, en_model_path: Path,
                                          shared_audio: Path) -> None:
    audio = np.concatenate(
        [silence(0.5), read_wav(shared_audio / "librivox_ss_0880.wav"), silence(1.0)]
    )
    bare = bare_vosk_words(en_model, audio)
    heard, _ = pipeline_heard(en_model_path, en_model, audio)
    ours = [w for h in heard for w in h.words]
    assert [w.text for w in ours] == [w.text for w in bare]
    assert all(
        abs(a.start - b.start) <= 0.05 and abs(a.end - b.end) <= 0.05
        for a, b in zip(ours, bare, strict=True)
    )


@pytest.mark.parametrize(
    ("spoken", "name"), [("pause", CommandName.PAUSE), ("stop", CommandName.STOP)]
)
def test_spoken_command_on_its_own_becomes_a_command(
    en_model: Any, en_model_path: Path, spoken: str, name: CommandName
) -> None:
    audio = np.concatenate(
        [silence(1.0), speak(spoken, "en", 140, amplitude=100), silence(1.0)]
    )
    events = listen(en_model_path, en_model, audio)
    assert [e.name for e in events if isinstance(e, Command)] == [name]


def test_command_word_inside_a_sentence_is_content(
    en_model: Any, en_model_path: Path
) -> None:
    said = speak("I can't pause my life", "en", 150, amplitude=100)
    audio = np.concatenate([silence(1.0), said, silence(1.0)])
    events = listen(en_model_path, en_model, audio)
    assert not [e for e in events if isinstance(e, Command)]
    assert [e for e in events if isinstance(e, Utterance)]
