"""The pipeline's lock is narrow: a prompt is marked, and the room heard, while a 30 s
backlog is being decoded or a voice is being learned.

The real Pipeline, Gate and hearing (Silero); the recognizer and the voices' fitting
are fakes whose slowness is an Event the test holds. Why fakes: a real decode's length
depends on the machine (tests/session/test_pipeline_threads.py measures one with
Whisper), while here the decode must still be under way, for certain, when the prompt
starts; held by an Event it is, and every assertion is about order, not time. The
joins' timeouts only stop a test that would otherwise hang on the lock.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from assistant.audio.frames import RATE, AudioChunk
from assistant.audio.gate import Gate, VoiceTimeline
from assistant.flow.events import Event
from assistant.session.pipeline import BACKLOG_CHUNKS, SLICE_CHUNKS, Pipeline
from assistant.session.setup import open_hearing
from assistant.session.speakers import Enrolment

T0 = 1000.0  # the session clock when the first chunk was captured
CHUNK = 320  # 20 ms


def room(start_chunk: int, count: int) -> list[AudioChunk]:
    """Quiet room noise, captured live: each chunk's capture time on the session clock."""
    rng = np.random.default_rng(start_chunk)
    out = []
    for i in range(start_chunk, start_chunk + count):
        start = i * CHUNK / RATE
        samples = rng.normal(0, 30, CHUNK).astype(np.int16)
        out.append(AudioChunk(samples, start, captured_at=T0 + start, captured_by=T0 + start))
    return out


def in_thread(work: Callable[[], Any]) -> threading.Thread:
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


class HeldRecognizer:
    """Stands in for the listener: its first decode waits until the test releases it."""

    def __init__(self) -> None:
        self.decoding = threading.Event()
        self.release = threading.Event()
        self.heard: list[AudioChunk] = []
        self.notes: list[tuple[str, bool]] = []  # (prompt, whether the decode was held)
        self.turns: list[bool] = []
        self.mid_utterance = False
        self.echo = self  # the echo guard's one method is `said`

    def said(self, text: str, until: float) -> None:
        self.notes.append((text, not self.release.is_set()))

    def in_turn(self, on: bool) -> None:
        self.turns.append(on)

    def feed(self, chunk: AudioChunk, now: float) -> list[Event]:
        self.decoding.set()
        assert self.release.wait(60), "the test never released the decode"
        self.heard.append(chunk)
        return []

    def flush(self, audio_end: float, now: float) -> list[Event]:
        return []


def test_a_prompt_is_marked_on_time_while_a_30_s_backlog_is_decoded() -> None:
    timeline = VoiceTimeline()
    pipeline = Pipeline(Gate(timeline), open_hearing()[0])
    posted: queue.Queue[Event] = queue.Queue()
    pipeline.recognize_in_background(posted.put, lambda: T0)
    backlog = room(0, BACKLOG_CHUNKS)
    for chunk in backlog[:-1]:  # heard while the model loads: kept
        pipeline.process(chunk, T0 + chunk.end)
    recognizer = HeldRecognizer()
    pipeline.attach(recognizer)
    pipeline.process(backlog[-1], T0 + backlog[-1].end)  # the backlog goes to recognition
    assert recognizer.decoding.wait(30), "the backlog was never decoded"
    assert pipeline._recognition is not None
    assert pipeline._recognition.behind == BACKLOG_CHUNKS // SLICE_CHUNKS - 1  # in slices

    prompt_at = T0 + backlog[-1].end  # a prompt starts now, the decode still held
    timeline.begin(prompt_at)
    main = in_thread(lambda: (pipeline.assistant_said("Ana, you have five minutes.",
                                                      prompt_at + 2.0),
                              pipeline.set_partner(0, prompt_at)))
    main.join(10)
    assert not main.is_alive(), "the prompt waited for the decode"
    during = room(BACKLOG_CHUNKS, 50)  # the next second: the prompt playing
    listening = in_thread(lambda: [pipeline.process(c, T0 + c.end) for c in during])
    listening.join(10)
    assert not listening.is_alive(), "the room was not heard while the backlog was decoded"
    assert recognizer.notes == [("Ana, you have five minutes.", True)]  # before the decode
    assert recognizer.turns == [False, True]  # attached between turns, then Ana's

    recognizer.release.set()
    pipeline.finish(during[-1].end, T0 + during[-1].end)
    pipeline.stop_recognizing()
    assert [c.start for c in recognizer.heard] == [c.start for c in backlog + during]
    assert not any(c.is_assistant for c in recognizer.heard[:BACKLOG_CHUNKS])
    assert all(c.is_assistant for c in recognizer.heard[BACKLOG_CHUNKS:])  # marked at once
    assert pipeline.fault is None


class HeldVoices:
    """Stands in for LiveVoices: Ana's voice is ready after her turn, and fitting it
    waits until the test releases it."""

    partners = ("Ana", "Ben")

    def __init__(self) -> None:
        self.fitting = threading.Event()
        self.release = threading.Event()
        self.profiles: dict[str, str] = {}
        self.kept: list[str] = []
        self.fed = 0

    def change_turn(self, index: int | None, now: float) -> Enrolment | None:
        return Enrolment("Ana", []) if index == 1 else None

    def fit(self, enrolment: Enrolment) -> str:
        self.fitting.set()
        assert self.release.wait(60), "the test never released the fit"
        return f"{enrolment.name}'s voice"

    def learned(self, name: str, profile: str) -> None:
        self.profiles[name] = profile

    def keep(self, name: str, profile: str) -> None:
        assert name in self.profiles  # in use before it is saved
        self.kept.append(name)

    def feed(self, chunk: AudioChunk, voiced: bool, now: float) -> list[Event]:
        self.fed += 1
        return []

    def finish(self, now: float) -> list[Event]:
        return []


def test_a_voice_is_learned_and_kept_outside_the_lock() -> None:
    voices = HeldVoices()
    pipeline = Pipeline(Gate(VoiceTimeline()), open_hearing()[0], voices)
    pipeline.set_partner(0, T0)
    main = in_thread(lambda: pipeline.set_partner(1, T0 + 60))  # Ana's turn ends
    assert voices.fitting.wait(30)
    chunks = room(0, 25)
    listening = in_thread(lambda: [pipeline.process(c, T0 + c.end) for c in chunks])
    listening.join(10)
    assert not listening.is_alive(), "the room waited while a voice was learned"
    said = in_thread(lambda: pipeline.assistant_said("Ben, your turn.", T0 + 63))
    said.join(10)
    assert not said.is_alive(), "a prompt waited while a voice was learned"
    assert voices.fed == len(chunks) and voices.kept == []
    voices.release.set()
    main.join(10)
    assert not main.is_alive()
    assert voices.profiles == {"Ana": "Ana's voice"} and voices.kept == ["Ana"]


def test_a_thread_that_does_not_stop_is_said_in_one_line() -> None:
    from assistant.session.threads import join_or_report

    release = threading.Event()
    stuck = in_thread(lambda: release.wait(60))
    said: list[str] = []
    assert not join_or_report(stuck, 0.01, "loading the speech model", said.append)
    assert said == ["loading the speech model did not stop within 0.01 s; it is left to end "
                    "with the process"]
    release.set()
    assert join_or_report(stuck, 10, "loading the speech model", said.append)
    assert len(said) == 1
