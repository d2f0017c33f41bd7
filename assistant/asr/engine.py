"""The recognition seam: which engine a model directory needs, and how each one listens.

Two engines hear the room; the model chooses (`engine_of`): a Vosk model directory
runs on Vosk (streaming, a grammar for the second check of a command), a CTranslate2
Whisper directory on Whisper (a whole stretch of speech at once, the command phrases
scored on the same audio for the second check). Everything after the listener
(commands, echo guard, captions, journal, `transcribe`, `analyze`) sees the same
`Heard` and events whichever runs.

What differs is how much silence closes a stretch of speech, and how long a stretch
may grow; `Tuning` holds those per engine, each with the measurement behind it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class Engine(enum.Enum):
    VOSK = "vosk"
    WHISPER = "whisper"


@dataclass(frozen=True)
class Tuning:
    """How the segmenter cuts speech for one engine (seconds of audio)."""

    pre_roll: float = 0.3  # fed before speech starts: detectors fire a few frames late
    hangover: float = 0.5  # silence that closes a stretch of speech
    quick_hangover: float = 0.12  # ... while the stretch is still short (a command?)
    quick_max: float = 1.6  # "still short": at most this much speech so far
    min_voiced: float = 0.1  # less speech than this is a blip, never transcribed
    max_segment: float | None = None  # a stretch this long closes at its next pause
    margin: float = 0.15  # audio around a command candidate for its second check


# Vosk streams, so a stretch can close after any pause: docs/asr.md (0.5 s, and 0.12 s
# while short, measured for command latency). Less than 0.1 s of speech is no word
# (segmenter.py: a short word said quickly has 0.16 s).
VOSK = Tuning()

# Whisper encodes a whole 30 s window for any stretch, however short (0.2-0.3 s of
# CPU on two cores), so stretches are kept long: a pause of up to 1.0 s stays inside
# one (docs/asr.md, measured on the English check-in replay), and a stretch closes at
# its first pause after 25 s so it always fits the window. Its word times come from
# the decoder's attention, a little rougher than Vosk's: a wider margin around a
# command for its check.
WHISPER = Tuning(hangover=1.0, max_segment=25.0, margin=0.3)

WHISPER_LIMIT = 29.5  # never more in one window: the rest would be cut off


def engine_of(path: Path) -> Engine:
    """The engine a model directory (checked by models.resolve_model) needs: Whisper
    for CTranslate2's layout, else Vosk, which says itself what it cannot load."""
    from assistant.asr.whisper_model import is_whisper_model

    return Engine.WHISPER if is_whisper_model(path) else Engine.VOSK


def tuning_for(engine: Engine) -> Tuning:
    return WHISPER if engine == Engine.WHISPER else VOSK


def load_model(path: Path) -> Any:
    """Load a checked model directory with the engine it needs; a packaged model's
    files are checked against their pinned SHA-256 first."""
    if engine_of(path) == Engine.WHISPER:
        from assistant.asr.models import pinned_files
        from assistant.asr.whisper_model import WhisperModel, verify_files

        pins = pinned_files(path)
        if pins:
            verify_files(path, pins)
        return WhisperModel(path)
    from assistant.asr.recognizer import load_model as load_vosk

    return load_vosk(path)
