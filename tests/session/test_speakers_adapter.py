"""The live voices adapter on synthetic voices, and its wiring to a real journal.

The two voices are synthetic (harmonics of two pitches shaped by two sets of
formants), and the hearing's voiced answer is given with each chunk instead of
coming from Silero: this tests the adapter's own rules (consent, learning from turns,
when attribution starts, timing) in isolation. Real voices through the real hearing
and flow are in test_speakers_replay.py.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest

from assistant.audio.frames import RATE, AudioChunk
from assistant.flow.events import VoiceAttributed, VoiceConsent
from assistant.journal.store import Journal
from assistant.session.setup import live_voices
from assistant.session.speakers import LiveVoices, Stage
from assistant.speakers.profile import VoiceProfile

PAIR = ("Ana", "Ben")
AT = datetime(2026, 12, 3, 19, 0, tzinfo=timezone.utc)
VOICE = {"Ana": (115.0, (500.0, 1500.0, 2500.0)), "Ben": (215.0, (800.0, 1900.0, 3000.0))}


def synthetic(who: str, seconds: float, seed: int) -> np.ndarray:
    """A vowel-like voice: a wavering pitch's harmonics under a formant envelope."""
    f0, formants = VOICE[who]
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    pitch = f0 * (1 + 0.06 * np.sin(2 * np.pi * (2.5 + rng.random()) * t + rng.random() * 6))
    phase = 2 * np.pi * np.cumsum(pitch) / RATE
    x = np.zeros_like(t)
    for k in range(1, int(3800 / f0)):
        freq = k * pitch
        gain = 0.05 + sum(np.exp(-0.5 * ((freq - f) / 120.0) ** 2) for f in formants)
        x += gain * np.sin(k * phase) / k**0.5
    syllables = 0.6 + 0.4 * np.abs(np.sin(2 * np.pi * 3.0 * t))
    x = x * syllables / np.max(np.abs(x)) * 0.3 + rng.normal(0, 0.002, len(t))
    return np.clip(x * 32767, -32768, 32767).astype(np.int16)


class Room:
    """Chunks of 20 ms in audio time, each fed with its voiced answer."""

    def __init__(self, voices: LiveVoices) -> None:
        self.voices = voices
        self.t = 0.0
        self.events: list[VoiceAttributed] = []
        self.seed = 0

    def _feed(self, samples: np.ndarray, voiced: bool) -> None:
        for i in range(0, len(samples), 320):
            chunk = AudioChunk(samples[i : i + 320], self.t)
            self.t = chunk.end
            self.events += self.voices.feed(chunk, voiced, self.t)

    def speak(self, who: str, seconds: float) -> float:
        """`who` speaks for `seconds`; returns the audio time it began."""
        self.seed += 1
        start = self.t
        self._feed(synthetic(who, seconds, self.seed), voiced=True)
        return start

    def quiet(self, seconds: float) -> None:
        self._feed(np.zeros(int(seconds * RATE), dtype=np.int16), voiced=False)

    def turn(self, who: str | None) -> None:
        self.voices.set_partner(None if who is None else PAIR.index(who), self.t)


class Consent:
    def __init__(self, given: bool) -> None:
        self.given = given
        self.asked = 0

    def __call__(self) -> bool:
        self.asked += 1
        return self.given


def adapter(given: bool = True, profiles: dict[str, VoiceProfile] | None = None
            ) -> tuple[LiveVoices, Consent, dict[str, VoiceProfile]]:
    consent = Consent(given)
    kept: dict[str, VoiceProfile] = {}
    voices = LiveVoices(PAIR, consent, lambda name, p: kept.__setitem__(name, p), profiles)
    return voices, consent, kept


def learn_both(room: Room) -> None:
    for who in PAIR:
        room.turn(who)
        room.speak(who, 4.0)
        room.quiet(0.5)
        room.turn(None)
        room.quiet(1.0)


@pytest.fixture(scope="module")
def learned() -> dict[str, VoiceProfile]:
    voices, _, kept = adapter()
    learn_both(Room(voices))
    return kept


def test_each_voice_is_learned_from_its_own_first_turn_then_attributed_live() -> None:
    voices, consent, kept = adapter()
    room = Room(voices)
    room.speak("Ana", 2.0)  # before any turn: the consent step, nobody's voice to learn
    assert consent.asked == 0 and voices.stage is Stage.WAITING
    learn_both(room)
    assert set(kept) == set(PAIR) and voices.stage is Stage.ATTRIBUTING
    assert consent.asked == 1  # asked once, when the first turn began
    assert room.events == []  # nothing attributed while learning
    assert 3.0 <= kept["Ana"].seconds <= 4.5  # her turn only, not the speech before it

    room.turn("Ana")
    room.speak("Ana", 2.0)
    room.quiet(0.6)
    began = room.speak("Ben", 3.0)  # the listener talks in her turn
    room.quiet(0.6)
    pieces = room.events
    assert all(a.audio_end <= b.audio_start for a, b in zip(pieces, pieces[1:], strict=False))
    ben = [p for p in pieces if p.voice == "Ben"]
    ana = [p for p in pieces if p.voice == "Ana"]
    assert sum(p.audio_end - p.audio_start for p in ben) == pytest.approx(3.0, abs=0.3)
    assert sum(p.audio_end - p.audio_start for p in ana) == pytest.approx(2.0, abs=0.3)
    assert ben[0].audio_start == pytest.approx(began, abs=0.05)
    assert all(p.now - p.audio_start <= 1.5 for p in pieces)  # posted within 1.5 s


def test_without_both_yes_nothing_is_learned_or_attributed() -> None:
    voices, consent, kept = adapter(given=False)
    room = Room(voices)
    learn_both(room)
    room.turn("Ana")
    room.speak("Ben", 3.0)
    assert voices.stage is Stage.OFF and consent.asked == 1
    assert kept == {} and room.events == [] and voices.heard == {"Ana": [], "Ben": []}


def test_stored_profiles_skip_learning_and_attribute_from_the_first_turn(
        learned: dict[str, VoiceProfile]) -> None:
    voices, _, kept = adapter(profiles=learned)
    room = Room(voices)
    room.turn("Ben")
    room.speak("Ben", 1.5)
    room.quiet(0.5)
    room.speak("Ana", 2.0)
    assert voices.stage is Stage.ATTRIBUTING and kept == {}
    assert {p.voice for p in room.events} == {"Ana", "Ben"}


def test_a_turn_with_too_little_speech_is_added_to_by_the_next() -> None:
    voices, _, kept = adapter()
    room = Room(voices)
    room.turn("Ana")
    room.speak("Ana", 1.5)  # under the 3 s a voice needs
    room.quiet(0.5)
    room.turn("Ben")
    assert kept == {}
    room.speak("Ben", 4.0)
    room.quiet(0.5)
    room.turn("Ana")
    assert list(kept) == ["Ben"] and voices.stage is Stage.LEARNING
    room.speak("Ana", 2.0)
    room.quiet(0.5)
    room.turn(None)
    assert set(kept) == set(PAIR)
    assert kept["Ana"].seconds == pytest.approx(3.5, abs=0.3)  # both of her turns


def consented_journal(tmp_path: Path, answers: tuple[bool, bool]) -> Journal:
    journal = Journal.open(tmp_path)
    sid = journal.begin_session("daily", PAIR, AT)
    for name, given in zip(PAIR, answers, strict=True):
        journal.record(sid, VoiceConsent(name, given, 1.0), AT)
    return journal


def test_the_journal_keeps_what_is_learned_and_gives_it_back_next_time(
        tmp_path: Path) -> None:
    journal = consented_journal(tmp_path, (True, True))
    try:
        learn_both(Room(live_voices(journal, PAIR)))
        assert sorted(p.partner for p in journal.voice_profiles()) == ["Ana", "Ben"]
        again = live_voices(journal, PAIR)
        assert set(again.profiles) == set(PAIR)
        room = Room(again)
        room.turn("Ana")
        room.speak("Ben", 2.0)
        assert {p.voice for p in room.events} == {"Ben"}
    finally:
        journal.close()


def test_with_one_no_in_the_journal_the_adapter_stays_off(tmp_path: Path) -> None:
    journal = consented_journal(tmp_path, (True, False))
    try:
        voices = live_voices(journal, PAIR)
        learn_both(Room(voices))
        assert voices.stage is Stage.OFF and journal.voice_profiles() == []
    finally:
        journal.close()


def test_an_unreadable_stored_voice_is_learned_again_with_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journal = consented_journal(tmp_path, (True, True))
    try:
        journal.save_voice_profile(PAIR, "Ana", "cepstral-gmm", 2, b"not numbers", AT)
        voices = live_voices(journal, PAIR)
        assert voices.profiles == {}
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("checkin: Ana's voice will be learned again")
        learn_both(Room(voices))
        assert voices.stage is Stage.ATTRIBUTING
        assert [p.partner for p in journal.voice_profiles()] == ["Ana", "Ben"]
    finally:
        journal.close()
