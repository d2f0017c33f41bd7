"""Learning a voice before the first check-in: real recordings through the check-in's own
hearing (Silero) and the product's speaker method, fed as the microphone delivers them
(20 ms chunks). The microphone itself is the room test's (tests/session/test_room_voices.py).
"""

from __future__ import annotations

import numpy as np
import pytest

from assistant.audio.frames import RATE, chunks
from assistant.errors import CheckinError
from assistant.session.enrollment import learn, listen_to_one_voice
from assistant.session.setup import open_hearing
from assistant.speakers.attribution import Attributor
from assistant.speakers.recording import heard_chunks
from speechlab.speakers import VOICES
from tests.support.replay import pcm, voice_of


@pytest.mark.usefixtures("shared_audio")
def test_a_reading_teaches_a_voice_that_is_then_told_apart() -> None:
    reader = pcm(voice_of(VOICES["reader"].enroll))  # 13.2 s of him, 11.3 s of it speech
    seen: list[float] = []
    heard = listen_to_one_voice(chunks(reader, 0.02), open_hearing()[0], want=8.0,
                                progress=lambda h: seen.append(h.speech_seconds))
    assert 8.0 <= heard.speech_seconds < 9.0  # stopped once enough was heard
    assert heard.audio_seconds < len(reader) / RATE - 1.0  # before the reading ended
    assert seen == sorted(seen) and seen[-1] == pytest.approx(heard.speech_seconds, abs=0.6)
    alsa = pcm(voice_of(VOICES["alsa"].enroll, gap=0.2))
    other = listen_to_one_voice(chunks(alsa, 0.02), open_hearing()[0], want=8.0)
    assert 3.0 < other.speech_seconds < 8.0  # 9.1 s of her: all of it was heard
    profiles = (learn(heard), learn(other))

    # recordings never used to learn from: each is charged to the voice that read
    for name, voice in (("Ana", "reader"), ("Ben", "alsa")):
        attributor = Attributor(profiles, names=("Ana", "Ben"))
        for chunk, voiced in heard_chunks(pcm(voice_of(VOICES[voice].test)), open_hearing()[0]):
            attributor.feed(chunk, voiced)
        attributor.finish()
        spoken = sum(label.seconds for label in attributor.labels)
        assert spoken > 3.0 and attributor.seconds_of(name) >= 0.9 * spoken


def test_a_silent_room_stops_at_the_limit_and_learns_nothing() -> None:
    silence = np.zeros(int(6.0 * RATE), dtype=np.int16)
    heard = listen_to_one_voice(chunks(silence, 0.02), open_hearing()[0], want=15.0, most=5.0)
    assert heard.windows == [] and heard.audio_seconds == pytest.approx(5.0, abs=0.03)
    with pytest.raises(CheckinError, match=r"only 0\.0 s of speech to learn a voice from"):
        learn(heard)
