"""Recognition never holds up the room: the pipeline's lock is not held while speech is
decoded, and in a live check-in decoding runs on a thread of its own.

Real Silero and the bundled Whisper model; English speech from speechlab/english.py.
What a test waits for is signalled by the code under test (a decode has begun), never
guessed with a sleep.
"""

from __future__ import annotations

import queue
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.audio.frames import RATE, AudioChunk, chunks
from assistant.flow.events import Event, SpeechStarted, Utterance
from assistant.session.pipeline import Pipeline, ungated
from assistant.session.setup import open_hearing, open_listener_for
from speechlab import english
from speechlab.voices import room_noise


@pytest.fixture(scope="module")
def half_a_minute() -> np.ndarray:
    """About 30 s of one partner talking, as heard while the model loads."""
    if english.missing_voices():
        pytest.skip(str(english.missing_voices()))
    lines = english.ANA_STORY * 2
    return np.concatenate([english.sentences(english.ANA, lines, pause=0.5), room_noise(1.5)])


def decoding_signal(pipeline: Pipeline) -> threading.Event:
    """Set when the listener's recognizer starts its first decode."""
    started = threading.Event()
    recognizer = pipeline.listener.transcriber.recognizer
    finish = recognizer.finish

    def signalled(*args: Any) -> Any:
        started.set()
        return finish(*args)

    recognizer.finish = signalled
    return started


def test_a_prompt_is_marked_at_once_while_a_backlog_of_30_s_is_decoded(
        whisper_model: Any, whisper_model_path: Path, half_a_minute: np.ndarray) -> None:
    pipeline = Pipeline(ungated, open_hearing()[0])
    pieces = list(chunks(half_a_minute, 0.02))
    for chunk in pieces[:-1]:  # heard while the model loads: kept for later
        pipeline.process(chunk)
    pipeline.attach(open_listener_for(pipeline, whisper_model_path, whisper_model))
    started = decoding_signal(pipeline)
    events: list[Event] = []
    listening = threading.Thread(target=lambda: events.extend(pipeline.process(pieces[-1])))
    listening.start()  # the listening thread now hears the whole backlog
    assert started.wait(60), "the backlog was never decoded"
    took = time.perf_counter()
    pipeline.assistant_said("Ana, you have five minutes.", 100.0)  # a prompt starts
    pipeline.set_partner(0, 100.0)
    took = time.perf_counter() - took
    decoding = listening.is_alive()
    listening.join(120)
    assert decoding, "the decode was over before the prompt: nothing was measured"
    assert took < 0.05, f"the prompt waited {took * 1000:.0f} ms for recognition"
    assert [e for e in events if isinstance(e, Utterance)]  # and the backlog was heard


def test_live_recognition_on_its_own_thread_keeps_the_hearing_on_time(
        whisper_model: Any, whisper_model_path: Path, half_a_minute: np.ndarray) -> None:
    """While a long stretch is decoded, the next words still start speech at once."""
    pipeline = Pipeline(ungated, open_hearing()[0])
    pipeline.attach(open_listener_for(pipeline, whisper_model_path, whisper_model))
    posted: queue.Queue[Event] = queue.Queue()
    pipeline.recognize_in_background(posted.put, time.monotonic)
    started = decoding_signal(pipeline)
    more = english.say("and one more thing", english.ANA)
    stream = np.concatenate([half_a_minute, more, room_noise(2.0, 5)])
    pieces = list(chunks(stream, 0.02))
    split = len(half_a_minute) // 320
    hearing: list[Event] = []
    for chunk in pieces[:split]:
        hearing += pipeline.process(chunk)
    assert started.wait(60), "the stretch was never decoded"
    for chunk in pieces[split:]:  # the room goes on while the decode runs
        hearing += pipeline.process(chunk)
    spoke = [e for e in hearing if isinstance(e, SpeechStarted)
             and e.audio_time >= len(half_a_minute) / RATE - 0.1]
    assert spoke, "the next words were not heard while the decode ran"
    hearing += pipeline.finish(len(stream) / RATE)
    pipeline.stop_recognizing()
    said = []
    while not posted.empty():
        event = posted.get()
        if isinstance(event, Utterance):
            said.append(event.text)
    assert said and english.words_of(said[-1])[-3:] == ["one", "more", "thing"], said
    assert [e for e in hearing if isinstance(e, Utterance)] == []  # posted, not returned


def test_a_decode_that_fails_ends_listening_with_its_reason(
        whisper_model: Any, whisper_model_path: Path, half_a_minute: np.ndarray) -> None:
    pipeline = Pipeline(ungated, open_hearing()[0])
    pipeline.attach(open_listener_for(pipeline, whisper_model_path, whisper_model))
    pipeline.recognize_in_background(lambda event: None, time.monotonic)

    def broken(*args: Any) -> None:
        raise RuntimeError("the decoder ran out of memory")

    pipeline.listener.transcriber.recognizer.finish = broken
    pieces = list(chunks(half_a_minute, 0.02))
    with pytest.raises(RuntimeError, match="ran out of memory"):  # at the next chunk, or
        for chunk in pieces:
            pipeline.process(chunk)
        pipeline.finish(len(half_a_minute) / RATE)  # at the end, after what it held
    with pytest.raises(RuntimeError, match="ran out of memory"):  # and from then on
        pipeline.process(AudioChunk(room_noise(0.02), len(half_a_minute) / RATE))
    pipeline.stop_recognizing()
