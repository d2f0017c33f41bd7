"""A check-in replayed on one thread from audio decided as it goes: the room's sound
(`Script`), the daily check-in wired to a recording pipeline (`build_session`), the
loudspeaker's stand-in (`PromptLog`), and one voice's recordings (`voice_of`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from assistant.audio.frames import RATE, AudioChunk
from assistant.flow.events import CommandName
from assistant.flow.machine import CheckinFlow, FlowContext
from assistant.guides import load_guide
from assistant.session.setup import recording_pipeline
from assistant.session.voice import Session
from speechlab.recordings import load
from speechlab.speakers import levelled
from speechlab.voices import room_noise, speech_seconds

TURN = 45.0  # a replayed daily check-in's turns, in seconds
# What Ana hears when Ben talks over her turn (--speakers).
REMINDER = "Ben, this is Ana's time. Yours comes next."


class PromptLog:
    """Stands in for the loudspeaker in a replay: keeps every prompt, in order."""

    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, text: str) -> None:
        self.said.append(text)

    def chime(self, kind: str) -> None:
        self.said.append(f"({kind} chime)")

    def wait_idle(self, timeout: float | None = None) -> bool:
        return True

    def close(self) -> None:
        pass


class Script:
    """The room's sound as a stream of 20 ms chunks, decided as the check-in goes."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.t = 0.0
        self.played: dict[str, float] = {"Ana": 0.0, "Ben": 0.0}

    def _chunks(self, samples: np.ndarray) -> Iterator[AudioChunk]:
        for i in range(0, len(samples), 320):
            piece = samples[i : i + 320]
            yield AudioChunk(piece, self.t)
            self.t += len(piece) / RATE

    def quiet(self, seconds: float) -> Iterator[AudioChunk]:
        yield from self._chunks(room_noise(seconds, seed=int(self.t)))

    def until(self, done: Callable[[], bool], limit: float, what: str) -> Iterator[AudioChunk]:
        end = self.t + limit
        while not done():
            if self.t >= end:
                raise AssertionError(f"waited {limit} s for {what}; state "
                                     f"{self.session.flow.state}")
            yield from self.quiet(0.1)

    def say(self, who: str, samples: np.ndarray,
            stop: Callable[[], bool] = lambda: False) -> Iterator[AudioChunk]:
        """A partner speaks (cut short when `stop` becomes true); counts the speech played."""
        played = 0
        for chunk in self._chunks(samples):
            if stop():
                break
            played += len(chunk.samples)
            yield chunk
        self.played[who] += speech_seconds(samples[:played])

    def key(self, name: str) -> None:
        self.session.press(CommandName(name))


def build_session(model_path: Path, model: Any) -> tuple[Session, PromptLog, list[Any]]:
    from assistant.session.setup import open_hearing

    assert open_hearing()[1] == "silero", "the chosen detector should be available in tests"
    guide = load_guide("daily").with_settings(turn_seconds=TURN, pause_seconds=6.0)
    flow = CheckinFlow(guide, FlowContext(("Ana", "Ben")))
    actions: list[Any] = []
    prompts = PromptLog()
    pipeline = recording_pipeline(model_path, model=model)
    session = Session(flow, pipeline, prompts, on_action=actions.append)
    return session, prompts, actions


def voice_of(names: tuple[str, ...], gap: float = 0.4) -> np.ndarray:
    """Recordings of one voice at one loudness, with short pauses between them."""
    pause = np.zeros(int(gap * RATE))
    return np.concatenate([np.concatenate([levelled(load(n)), pause]) for n in names])


def pcm(x: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(x * 32768.0), -32768, 32767).astype(np.int16)
