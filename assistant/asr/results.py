"""The one place that reads Vosk's JSON, turning it into typed words and utterances.

Vosk reports word times in seconds of audio fed to a recognizer since it was
created (they keep counting across Reset and FinalResult); callers pass `shift`
to move them onto the stream's own clock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    """One recognised word with its time span (stream seconds) and confidence 0..1."""

    text: str
    start: float
    end: float
    conf: float


@dataclass(frozen=True)
class Heard:
    """A finished utterance of free-form speech."""

    text: str
    start: float
    end: float
    confidence: float
    words: tuple[Word, ...]

    @property
    def seconds(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Caption:
    """Speech still in progress (a Vosk partial result), for live captions only."""

    text: str
    at: float


def _load(raw: str) -> dict:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def parse_result(raw: str, shift: float = 0.0) -> Heard | None:
    """Parse Result()/FinalResult(); None when nothing was recognised (FinalResult may be empty)."""
    data = _load(raw)
    words = tuple(
        Word(
            text=str(item.get("word", "")),
            start=float(item.get("start", 0.0)) + shift,
            end=float(item.get("end", 0.0)) + shift,
            conf=float(item.get("conf", 1.0)),
        )
        for item in data.get("result", [])
        if isinstance(item, dict) and item.get("word")
    )
    text = str(data.get("text", "")).strip()
    if not text and not words:
        return None
    if not text:
        text = " ".join(w.text for w in words)
    if not words:  # SetWords(False) or a grammar result without timings
        return Heard(text=text, start=shift, end=shift, confidence=1.0, words=())
    confidence = sum(w.conf for w in words) / len(words)
    return Heard(text, words[0].start, words[-1].end, confidence, words)


def parse_partial(raw: str) -> str:
    """The text of PartialResult(), '' when there is none."""
    return str(_load(raw).get("partial", "")).strip()
