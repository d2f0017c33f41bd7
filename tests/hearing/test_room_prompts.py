"""The assistant's own voice, loud in the virtual room, is never heard as a partner.

Real prompts (the warm voice, sentence by sentence, and pyttsx3/espeak-ng) are played into the PulseAudio null sink while the
room is captured through PortAudio; the gate marks the assistant's span and the
hearing processor (the live one, with Silero) must find no speech and no raised
voice in it, even with a calm baseline already learned from a quiet partner.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from assistant.audio.capture import MicrophoneCapture
from assistant.audio.frames import AudioChunk
from assistant.audio.gate import Gate, VoiceTimeline
from assistant.audio.hearing import Hearing, open_voice_activity
from assistant.audio.tts import SpokenPrompts
from assistant.flow.events import SpeechEnded, VoiceRaised
from speechlab.room import INPUT_DEVICE, OUTPUT_DEVICE, Room
from speechlab.voices import espeak_missing, room_noise, speak
from tests.support.signals import Recorder
from tests.support.speech_voices import VOICES, voice_engine

pytestmark = pytest.mark.room

PROMPTS = ["Voices are getting louder. Would you like a short pause? Say yes, or no.",
           "Ana, you have five minutes. Start with I noticed, or I feel.",
           "Take your time, Ana. Say I'm done when you have finished."]


@pytest.mark.parametrize("voice", VOICES)
def test_loud_prompts_never_count_as_speech_or_raise_a_voice(plugged_room: Room,
                                                              voice: str) -> None:
    if espeak_missing():
        pytest.skip(str(espeak_missing()))
    timeline = VoiceTimeline()
    problems: list[str] = []
    speech = SpokenPrompts(voice_engine(voice), OUTPUT_DEVICE, timeline,
                           on_error=problems.append)
    speech.start()
    hearing = Hearing(open_voice_activity()[0])
    hearing.set_partner(0)
    # Ana's calm voice first, so her baseline exists (quiet: the prompts are far louder)
    calm = np.concatenate([speak("오늘 하루는 정말 길었어요 " * 3, "ko+f2", amplitude=15),
                           room_noise(0.5)] * 3)
    try:
        with Recorder(MicrophoneCapture(INPUT_DEVICE)) as recorder:
            plugged_room.play(calm).wait(timeout=60)
            time.sleep(0.5)
            calm_done = time.monotonic()
            for text in PROMPTS:
                speech.say(text)
            assert speech.wait_idle(60)
            time.sleep(0.6)
            chunks = list(recorder.chunks)
    finally:
        speech.close()
    gate = Gate(timeline)
    events: list[object] = []
    calm_speech = 0.0
    levels: list[float] = []
    for chunk in chunks:
        gated: AudioChunk = gate(chunk)
        heard = hearing.feed(gated)
        events += heard.events
        if chunk.captured_at is not None and chunk.captured_at >= calm_done:
            assert gated.is_assistant or not heard.speaking, "a prompt was heard as speech"
            if not gated.is_assistant:
                levels.append(heard.level_db or -100.0)
        else:
            calm_speech += sum(e.seconds for e in heard.events if isinstance(e, SpeechEnded))
    spans = timeline.spans()
    assert problems == [] and speech.spoken == len(PROMPTS)
    # the warm voice plays a prompt piece by piece: a span each
    assert len(spans) >= len(PROMPTS) and all(end is not None for _, end in spans)
    assert gate.gated_seconds >= sum(end - start for start, end in spans if end)  # type: ignore[operator]
    assert not [e for e in events if isinstance(e, VoiceRaised)]
    prompt_speech = hearing.speech_seconds - calm_speech
    assert calm_speech > 5.0  # Ana was heard
    assert prompt_speech == pytest.approx(0.0, abs=0.05)  # the assistant never was
