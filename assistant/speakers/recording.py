"""A whole recording through the hearing, and labels joined into turns.

The hearing is the caller's (the check-in's own, from `open_hearing`), fed in
capture-sized chunks; its `voiced` answer per chunk is what cuts the speech into
windows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.audio.frames import AudioChunk, chunks
from assistant.speakers.attribution import Label
from assistant.speakers.windows import SpeechWindows, Window, WindowSettings

CHUNK_SECONDS = 0.02  # what live capture delivers


def heard_chunks(samples: np.ndarray, hearing: Any, start: float = 0.0
                 ) -> Iterator[tuple[AudioChunk, bool]]:
    """Each chunk with the hearing's voice-activity answer for it."""
    for chunk in chunks(samples, CHUNK_SECONDS, start):
        yield chunk, hearing.feed(chunk).voiced
    hearing.finish()


def speech_windows(samples: np.ndarray, hearing: Any,
                   settings: WindowSettings | None = None) -> list[Window]:
    cutter = SpeechWindows(settings)
    out: list[Window] = []
    for chunk, voiced in heard_chunks(samples, hearing):
        out.extend(cutter.feed(chunk, voiced))
    out.extend(cutter.finish())
    return out


@dataclass(frozen=True)
class Turn:
    start: float
    end: float
    speaker: str | None  # "A", "B", or None: unsure

    @property
    def seconds(self) -> float:
        return self.end - self.start


def turns(labels: list[Label], bridge: float = 0.5) -> list[Turn]:
    """Consecutive labels of one speaker joined across pauses shorter than `bridge`."""
    out: list[Turn] = []
    for lab in labels:
        if out and out[-1].speaker == lab.speaker and lab.start - out[-1].end <= bridge:
            out[-1] = Turn(out[-1].start, lab.end, lab.speaker)
        else:
            out.append(Turn(lab.start, lab.end, lab.speaker))
    return out
