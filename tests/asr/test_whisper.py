"""The Whisper engine's own parts: features, vocabulary, the pinned model files, the
second check of a command, what is dropped as noise, and real English speech.

The shared behaviour (commands, content, silence, blips, the clock) is in
test_engines.py, run against both engines.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.asr import models
from assistant.asr.commands import Candidate
from assistant.asr.engine import load_model
from assistant.asr.mel import FRAMES, N_MELS, log_mel
from assistant.asr.whisper_listen import (
    Silence,
    WhisperCheck,
    WhisperRecognizer,
    written_form,
)
from assistant.asr.whisper_model import Decoded, verify_files
from assistant.audio.frames import RATE, chunks, read_wav
from assistant.errors import ModelError
from assistant.flow.events import Command, CommandName, Utterance
from assistant.phrases import load_phrases
from assistant.session.setup import recording_pipeline
from speechlab import english
from speechlab.recordings import LIBRIVOX
from speechlab.voices import room_noise

# What the LibriVox reader says (../shared/audio/MANIFEST.txt)
READINGS = {
    "0870": "and mister john dashwood had then leisure to consider how much there might be "
            "prudently in his power to do for them",
    "0880": "he was not an ill disposed young man",
    "0890": "unless to be rather cold hearted and rather selfish is to be ill disposed",
    "0920": "had he married a more amiable woman he might have been made still more "
            "respectable than he was",
    "0930": "he might even have been made amiable himself",
}


@pytest.mark.parametrize("seconds", [0.1, 3.0, 29.99, 30.0, 31.0])
def test_features_are_whispers_own(shared_audio: Path, seconds: float) -> None:
    """The same log-mel spectrogram as faster-whisper's extractor computes (when it is
    installed, as in the test environment: it is the benchmarks' reference), for a
    stretch of any length: only the frames that reach the audio are computed."""
    extractor = pytest.importorskip("faster_whisper.feature_extractor")
    speech = read_wav(shared_audio / "two_speakers_phone_sample.wav")
    audio = np.resize(speech, int(seconds * RATE))
    ours = log_mel(audio)
    assert ours.shape == (N_MELS, FRAMES) and ours.flags["C_CONTIGUOUS"]
    audio = audio[:30 * RATE]
    padded = np.concatenate([audio.astype(np.float32) / 32768, np.zeros(30 * RATE, np.float32)])
    theirs = extractor.FeatureExtractor()(padded)[:, :FRAMES]
    # a stretch that fills the window is reflected at its end, as Whisper's own
    # features are; faster-whisper's last frame there hears the zeros after it
    last = FRAMES - 1 if len(audio) >= 30 * RATE - 200 else FRAMES
    assert np.abs(ours[:, :last] - theirs[:, :last]).max() < 1e-5


def test_the_vocabulary_spells_text_as_the_model_writes_it(whisper_model: Any,
                                                           shared_audio: Path) -> None:
    tokens = whisper_model.tokens
    audio = read_wav(shared_audio / "librivox_ss_0890.wav")
    decoded = whisper_model.decode(whisper_model.encode(audio), len(audio) / RATE)
    assert tokens.encode(" " + decoded.text) == list(decoded.tokens)  # its own spelling
    for text in (" I'm done.", " Save it.", " Zoë and Jean-Luc, 10 minutes!", " 다음"):
        assert tokens.decode(tokens.encode(text)) == text
    assert written_form("i'm done") == " I'm done." and written_form("save it") == " Save it."


def test_model_files_are_checked_before_loading(whisper_model_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    pins = models.WHISPER_TINY_EN.files
    verify_files(whisper_model_path, pins)  # the installed package is the pinned one
    copy = tmp_path / "model"
    copy.mkdir()
    for name in pins:
        (copy / name).symlink_to(whisper_model_path / name)
    (copy / "vocabulary.txt").unlink()
    shutil.copy(whisper_model_path / "vocabulary.txt", copy / "vocabulary.txt")
    with (copy / "vocabulary.txt").open("a", encoding="utf-8") as f:
        f.write("tampered\n")
    with pytest.raises(ModelError) as err:
        verify_files(copy, pins)
    assert str(err.value).startswith(f"{copy / 'vocabulary.txt'} is not the file checkin was "
                                     "tested with")
    assert "\n" not in str(err.value) and "reinstall" in str(err.value)
    # and loading the packaged model checks its pins first
    monkeypatch.setitem(pins, "config.json", "0" * 64)
    with pytest.raises(ModelError, match="config.json is not the file checkin was tested"):
        load_model(whisper_model_path)


def test_noise_the_model_takes_for_speech_is_dropped() -> None:
    silence = Silence(no_speech=0.6, score=-1.0)
    assert silence.holds(Decoded((1,), "", -0.1, 0.0))  # nothing written
    assert silence.holds(Decoded((1,), "I'm going to do it.", -1.88, 0.92))  # alsa_Noise.wav
    assert not silence.holds(Decoded((1,), "Next.", -0.5, 0.92))  # written with confidence
    assert not silence.holds(Decoded((1,), "No.", -1.2, 0.24))  # speech, not sure of words


def test_noise_that_gets_past_the_detector_is_not_transcribed(whisper_model: Any,
                                                              shared_audio: Path) -> None:
    """Whisper writes "I'm going to do it." for a noise burst (alsa_Noise.wav); the
    detector keeps it out, and if it did not, the recognizer would drop it."""
    recognizer = WhisperRecognizer(whisper_model, context="Pause. Yes. No.")
    for seed, noise in enumerate((read_wav(shared_audio / "alsa_Noise.wav"),
                                  room_noise(2.0, 11, level=300.0))):
        recognizer.begin(float(seed))
        recognizer.accept(noise, 0.0)
        assert recognizer.finish() == []
    assert recognizer.dropped == 2


def test_the_second_check_wants_one_command_clearly_ahead(whisper_model: Any) -> None:
    check = WhisperCheck(whisper_model, None, load_phrases("en"))
    assert check.decide({"pause": -0.6, "stop": -3.0, "pause please": -3.9}) == "pause"
    assert check.decide({"pause": -2.7, "stop": -4.0}) == ""  # not well enough
    assert check.decide({"yes": -0.9, "no": -1.2}) == ""  # two commands too close
    assert check.decide({"yeah": -0.5, "yes": -0.8, "no": -3.0}) == "yeah"  # one command


def test_rivals_left_unscored_could_not_have_come_close(whisper_model: Any) -> None:
    """The check scores only the rivals one decoder step cannot rule out: its decision
    is the one scoring every phrase would give."""
    if english.missing_voices():
        pytest.skip(str(english.missing_voices()))
    phrases = load_phrases("en")
    check = WhisperCheck(whisper_model, None, phrases)
    every = list(dict.fromkeys(p for name in CommandName
                               for p in phrases.say.get(name, ()) + phrases.also.get(name, ())))
    for said, voice, name in (("pause", "flite-rms", CommandName.PAUSE),
                              ("I'm done", "festival-slt", CommandName.DONE),
                              ("post", "flite-rms", CommandName.PAUSE),
                              ("yes", "espeak-us", CommandName.YES)):
        clip = english.say(said, voice)
        encoded, seconds = whisper_model.encode(clip), len(clip) / RATE
        full = dict(zip(every, whisper_model.phrase_scores(
            encoded, (whisper_model.tokens.encode(written_form(p)) for p in every), seconds),
            strict=True))
        own = set(phrases.say[name] + phrases.also[name])
        compared = {p: v for p, v in full.items() if p in own or p in phrases.grammar_phrases()}
        scored = check.scores(encoded, seconds, name)
        assert check.decide(scored) == check.decide(compared), said
        best_own = max(v for p, v in full.items() if p in own)
        assert all(full[p] <= best_own - check.min_margin for p in compared if p not in scored)
        assert len(scored) < len(compared), "nothing was left out"


def test_the_second_check_scores_the_audio_not_the_transcript(whisper_model: Any) -> None:
    """Said "pass", a word the decoder may write as "Pause." when told commands are
    likely: the phrases scored on the audio alone do not let it through."""
    if english.missing_voices():
        pytest.skip(str(english.missing_voices()))
    check = WhisperCheck(whisper_model, None, load_phrases("en"))
    heard = {}
    for said in ("pause", "post"):
        clip = english.say(said, "flite-rms")
        heard[said] = check.phrase_heard(clip, Candidate(CommandName.PAUSE, 0.0, 1.0, "x"))
    assert heard == {"pause": "pause", "post": ""}


def test_a_sentence_closed_by_a_command_is_words_then_the_command(
        whisper_model: Any, whisper_model_path: Path) -> None:
    if english.missing_voices():
        pytest.skip(str(english.missing_voices()))
    clip = english.say("that was my week, and I'm done", "flite-slt")
    audio = np.concatenate([room_noise(1.0, 1), clip, room_noise(2.0, 2)])
    pipeline = recording_pipeline(whisper_model_path, model=whisper_model)
    events = [e for c in chunks(audio, 0.02) for e in pipeline.process(c)]
    events += pipeline.finish(len(audio) / RATE)
    said = [(type(e).__name__, getattr(e, "text", None) or e.name) for e in events
            if isinstance(e, (Utterance, Command))]
    assert [kind for kind, _ in said] == ["Utterance", "Command"], said
    assert english.words_of(str(said[0][1])) == ["that", "was", "my", "week", "and"]
    assert said[1][1] == CommandName.DONE


def test_real_english_is_transcribed_as_written(whisper_model: Any, whisper_model_path: Path,
                                                shared_audio: Path) -> None:
    """The LibriVox readings, said one after another as a partner talks: what would be
    saved keeps its capitals and full stops, and its words are the reader's."""
    parts: list[np.ndarray] = [room_noise(1.0, 3)]
    for i, take in enumerate(LIBRIVOX):
        parts += [read_wav(shared_audio / f"librivox_ss_{take}.wav"), room_noise(2.0, 4 + i)]
    pipeline = recording_pipeline(whisper_model_path, model=whisper_model, commands=False)
    heard: list[Any] = []
    pipeline.listener.heard = heard
    audio = np.concatenate(parts)
    for chunk in chunks(audio, 0.02):
        pipeline.process(chunk)
    pipeline.finish(len(audio) / RATE)
    assert len(heard) == len(LIBRIVOX)
    errors = words = 0
    for h, take in zip(heard, LIBRIVOX, strict=True):
        assert h.text[:1].isupper() and h.text.endswith("."), h.text
        reference = READINGS[take].split()
        errors += english.word_errors(reference, english.words_of(h.text))
        words += len(reference)
    assert errors / words <= 0.06, f"word error rate {errors / words:.1%}"


def gathered(whisper_model: Any, whisper_model_path: Path, audio: np.ndarray,
             turn_ends_at: float | None = None) -> tuple[list[tuple[float, Any]], Any]:
    """(audio time each event came at, event) in a partner's turn, and the pipeline."""
    pipeline = recording_pipeline(whisper_model_path, model=whisper_model)
    pipeline.set_partner(0, 0.0)
    events: list[tuple[float, Any]] = []
    for chunk in chunks(audio, 0.02):
        if turn_ends_at is not None and chunk.start >= turn_ends_at:
            pipeline.set_partner(None, chunk.start)
            turn_ends_at = None
        events += [(chunk.end, e) for e in pipeline.process(chunk)
                   if isinstance(e, (Utterance, Command))]
    events += [(len(audio) / RATE, e) for e in pipeline.finish(len(audio) / RATE)
               if isinstance(e, (Utterance, Command))]
    return events, pipeline


def test_a_turn_is_heard_in_windows_of_many_sentences(whisper_model: Any,
                                                      whisper_model_path: Path) -> None:
    """Someone talking in their turn, with pauses longer than a segment's 1 s: the
    sentences share one encoder pass, each still its own utterance, at its own time,
    in order; the window is heard once the speaker pauses for 2 s."""
    if english.missing_voices():
        pytest.skip(str(english.missing_voices()))
    lines = english.ANA_STORY[:4]
    parts, spans, at = [room_noise(1.0, 20)], [], 1.0
    for i, line in enumerate(lines):
        clip = english.say(line, english.ANA)
        voiced = np.flatnonzero(np.abs(clip.astype(np.int32)) > 300)
        spans.append((at + voiced[0] / RATE, at + voiced[-1] / RATE))
        parts += [clip, room_noise(1.3, 21 + i)]
        at += len(clip) / RATE + 1.3
    parts.append(room_noise(3.0, 30))
    events, pipeline = gathered(whisper_model, whisper_model_path, np.concatenate(parts))
    recognizer = pipeline.listener.transcriber.recognizer
    assert recognizer.windows == 1, "the turn's sentences were not heard in one window"
    said = [e for _, e in events]
    assert [english.words_of(u.text) for u in said] == [english.words_of(t) for t in lines]
    for u, (lo, hi) in zip(said, spans, strict=True):
        assert abs(u.audio_start - lo) < 0.45 and abs(u.audio_end - hi) < 0.45, (u, lo, hi)
    came, quiet_from = events[0][0], spans[-1][1]
    assert quiet_from + 1.9 <= came <= quiet_from + 2.4  # after a 2 s pause, not at the end


def test_a_short_remark_in_a_turn_keeps_the_window_gathering(whisper_model: Any,
                                                            whisper_model_path: Path) -> None:
    """A short stretch in a turn is transcribed at once (it may be a command); "I know
    that." is none, so it is held with the window, which goes on gathering: two
    encoder passes, not three, and every utterance in the order it was said."""
    if english.missing_voices():
        pytest.skip(str(english.missing_voices()))
    lines = [english.ANA_STORY[0], "I know that.", english.ANA_STORY[1]]
    parts = [room_noise(1.0, 50)]
    for i, line in enumerate(lines):
        parts += [english.say(line, english.ANA), room_noise(1.3, 51 + i)]
    parts.append(room_noise(3.0, 55))
    events, pipeline = gathered(whisper_model, whisper_model_path, np.concatenate(parts))
    assert [english.words_of(e.text) for _, e in events] == [english.words_of(t) for t in lines]
    assert all(isinstance(e, Utterance) for _, e in events)
    assert [e.audio_start for _, e in events] == sorted(e.audio_start for _, e in events)
    assert pipeline.listener.transcriber.recognizer.windows == 2


def test_in_a_turn_a_command_comes_after_the_words_before_it(whisper_model: Any,
                                                             whisper_model_path: Path) -> None:
    if english.missing_voices():
        pytest.skip(str(english.missing_voices()))
    audio = np.concatenate([room_noise(1.0, 40), english.say(english.ANA_STORY[0], english.ANA),
                            room_noise(1.4, 41), english.say("I'm done", english.ANA),
                            room_noise(1.5, 42)])
    events, pipeline = gathered(whisper_model, whisper_model_path, audio)
    said = [type(e).__name__ for _, e in events]
    assert said == ["Utterance", "Command"]
    assert events[1][1].name == CommandName.DONE
    assert pipeline.listener.transcriber.recognizer.windows == 2  # the words, then the command


def test_when_the_turn_ends_its_words_are_heard_at_once(whisper_model: Any,
                                                        whisper_model_path: Path) -> None:
    if english.missing_voices():
        pytest.skip(str(english.missing_voices()))
    clip = english.say(english.ANA_STORY[1], english.ANA)
    end = 1.0 + len(clip) / RATE + 1.3  # the segment has closed; the window still waits
    audio = np.concatenate([room_noise(1.0, 43), clip, room_noise(5.0, 44)])
    events, _ = gathered(whisper_model, whisper_model_path, audio, turn_ends_at=end)
    assert len(events) == 1 and end <= events[0][0] <= end + 0.1
