"""Vosk adapters: a free-form streaming recognizer and a command-grammar recognizer
(the Vosk engine's `SegmentRecognizer` and `CommandCheck`, see listener.py).

Vosk's word times count seconds of audio fed to a recognizer since it was created,
across Reset() and FinalResult(). We feed it only speech segments, so each segment
remembers `shift` = stream time minus Vosk time at its first sample, and every
reported time is moved back onto the stream's clock (chunk.start based).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from assistant.asr.results import Caption, Heard, parse_partial, parse_result
from assistant.audio.frames import RATE
from assistant.errors import ModelError
from assistant.offline import import_vosk


def load_model(path: Path) -> Any:
    """Load a checked model directory (see models.resolve_model) with Vosk quiet."""
    vosk = import_vosk()
    try:
        return vosk.Model(str(path))
    except Exception as err:  # vosk raises a bare Exception on load failure
        raise ModelError(
            f"Vosk could not load the model at {path} ({err}); fetch it again"
        ) from None


RENEW_AFTER_SECONDS = 60.0  # of speech fed: then a fresh recognizer (see FreeFormRecognizer)


class FreeFormRecognizer:
    """Streams speech segments into Vosk; returns utterances and throttled partials.

    A Vosk recognizer's decoding cache only grows: measured with the Korean model, one
    recognizer went from 744 to 856 MiB over 15 minutes of speech, and `Reset()` frees
    none of it. So after `RENEW_AFTER_SECONDS` of speech, at the start of the next
    segment, the recognizer is replaced and the freed memory handed back to the
    system: 25 minutes of speech then stayed within the first minute's RSS, at the same
    CPU per audio second (docs/asr.md).
    """

    def __init__(self, model: Any, partial_every: float = 0.3) -> None:
        self._model = model
        self.partial_every = partial_every
        self.renewals = 0
        self._new_recognizer()
        self._shift = 0.0
        self._since_partial = 0.0
        self._last_partial = ""

    def _new_recognizer(self) -> None:
        self._rec = import_vosk().KaldiRecognizer(self._model, RATE)
        self._rec.SetWords(True)
        self._vosk_time = 0.0  # seconds fed since creation: Vosk's clock

    def begin(self, stream_time: float) -> None:
        """A segment starts: its first sample is at `stream_time` on the stream clock.

        The recognizer is reset so that each utterance is heard as bare Vosk would hear
        it alone, whatever was said before it.
        """
        if self._vosk_time >= RENEW_AFTER_SECONDS:
            self._rec = None  # the old one's memory is freed before the new one grows
            _give_back_memory()
            self._new_recognizer()
            self.renewals += 1
        self._rec.Reset()  # word times keep counting from creation: the shift still applies
        self._shift = stream_time - self._vosk_time
        self._since_partial = 0.0
        self._last_partial = ""

    def accept(self, samples: np.ndarray, now: float) -> list[Heard | Caption]:
        out: list[Heard | Caption] = []
        self._vosk_time += len(samples) / RATE
        self._since_partial += len(samples) / RATE
        if self._rec.AcceptWaveform(samples.astype("<i2", copy=False).tobytes()):
            heard = parse_result(self._rec.Result(), self._shift)
            if heard:
                out.append(heard)
            self._last_partial = ""
        elif self._since_partial >= self.partial_every:
            self._since_partial = 0.0
            text = parse_partial(self._rec.PartialResult())
            if text and text != self._last_partial:
                self._last_partial = text
                out.append(Caption(text, now))
        return out

    def finish(self, speech: tuple[float, float] | None = None) -> list[Heard]:
        """The segment ended: flush what Vosk still holds (may be nothing). Vosk's own
        word times need no help from the detector's `speech`."""
        heard = parse_result(self._rec.FinalResult(), self._shift)
        self._last_partial = ""
        return [heard] if heard else []

    def drop(self) -> None:
        """The segment was a blip: what Vosk holds of it is never read."""
        self._rec.Reset()
        self._last_partial = ""

    def idle(self, stream_time: float) -> list[Heard]:
        return []  # Vosk has said all it heard by the end of each segment

    def pending(self) -> list[Heard]:
        return []

    def gather(self, on: bool) -> None:
        """Nothing to gather: Vosk streams, each segment costs what its audio does."""

    holding = False  # each segment is said by its end


class GrammarRecognizer:
    """Vosk limited to a phrase list; run over one short stretch of audio at a time."""

    def __init__(self, model: Any, phrases: list[str], unknown: str | None) -> None:
        grammar = list(dict.fromkeys(phrases)) + ([unknown] if unknown else [])
        text = json.dumps(grammar, ensure_ascii=False)
        self._rec = import_vosk().KaldiRecognizer(model, RATE, text)
        self.grammar = grammar

    def recognize(self, samples: np.ndarray) -> str:
        """The grammar transcript of `samples` ('' when nothing matched)."""
        self._rec.AcceptWaveform(samples.astype("<i2", copy=False).tobytes())
        heard = parse_result(self._rec.FinalResult())
        return heard.text if heard else ""

    def phrase_heard(self, samples: np.ndarray, candidate: Any) -> str:
        """The second check of a command: what the grammar alone hears in the
        candidate's audio."""
        return self.recognize(samples)


def _give_back_memory() -> None:
    """Return freed heap pages to the system (glibc keeps them otherwise)."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl): nothing to hand back
        return
