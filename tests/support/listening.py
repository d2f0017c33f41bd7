"""The shipped listening path and bare Vosk, side by side, for the recognition tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from assistant.asr.results import Heard, Word, parse_result
from assistant.audio.frames import RATE, chunks
from assistant.flow.events import Event
from assistant.offline import import_vosk
from assistant.session.setup import recording_pipeline


def bare_vosk_words(model: Any, samples: np.ndarray, block: int = 320) -> list[Word]:
    """Every word bare Vosk hears in the whole recording, fed as its examples feed it."""
    rec = import_vosk().KaldiRecognizer(model, RATE)
    rec.SetWords(True)
    words: list[Word] = []
    for i in range(0, len(samples), block):
        if rec.AcceptWaveform(samples[i : i + block].tobytes()):
            heard = parse_result(rec.Result())
            words.extend(heard.words if heard else ())
    final = parse_result(rec.FinalResult())
    words.extend(final.words if final else ())
    return words


def pipeline_heard(
    model_path: Path, model: Any, samples: np.ndarray, start: float = 0.0
) -> tuple[list[Heard], float]:
    """What the shipped listening path transcribes (as `checkin transcribe` does), and
    how many seconds of it reached Vosk."""
    pipeline = recording_pipeline(model_path, model=model, commands=False)
    heard: list[Heard] = []
    pipeline.listener.heard = heard
    for chunk in chunks(samples, 0.02, start=start):
        pipeline.process(chunk)
    pipeline.finish(start + len(samples) / RATE)
    return heard, pipeline.listener.transcriber.fed_seconds


def listen(model_path: Path, model: Any, samples: np.ndarray) -> list[Event]:
    """The flow events the shipped listening path makes of a recording, commands included."""
    pipeline = recording_pipeline(model_path, model=model)
    events = [e for c in chunks(samples, 0.02) for e in pipeline.process(c)]
    return events + pipeline.finish(len(samples) / RATE)
