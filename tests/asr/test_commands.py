"""Command phrases and the rule that a command was meant (pure, no Vosk)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.asr.commands import CommandFilter
from assistant.asr.results import Heard, Word
from assistant.errors import ConfigError
from assistant.flow.events import CommandName
from assistant.phrases import load_phrases, normalize


def heard(text: str, start: float = 10.0, per_word: float = 0.35) -> Heard:
    words = tuple(
        Word(w, start + i * per_word, start + (i + 1) * per_word, 0.9)
        for i, w in enumerate(text.split())
    )
    return Heard(text, words[0].start, words[-1].end, 0.9, words)


@pytest.fixture
def en() -> CommandFilter:
    return CommandFilter(load_phrases("en"))


def test_normalize() -> None:
    assert normalize("I'm done.") == "im done"
    assert normalize("  Say   AGAIN!  ") == "say again"
    assert normalize("다 했어요") == "다 했어요"


def test_every_command_has_english_and_korean_phrases() -> None:
    for lang in ("en", "ko"):
        phrases = load_phrases(lang)
        assert set(phrases.say) == set(CommandName), lang


def test_standalone_command_is_a_candidate_and_needs_grammar_agreement(en: CommandFilter) -> None:
    cand = en.candidate(heard("pause"), gap_before=3.0)
    assert cand is not None and cand.command is CommandName.PAUSE and cand.content == ""
    assert en.confirm(cand, "pause")
    assert not en.confirm(cand, "stop")  # the recognizers disagree
    assert not en.confirm(cand, "pause [unk]")
    assert not en.confirm(cand, "")


def test_command_inside_a_sentence_is_content(en: CommandFilter) -> None:
    assert en.candidate(heard("i can't pause my life"), gap_before=3.0) is None
    assert en.candidate(heard("please stop doing that"), gap_before=3.0) is None


def test_command_right_after_speech_is_not_on_its_own(en: CommandFilter) -> None:
    assert en.candidate(heard("pause"), gap_before=0.3) is None


def test_too_long_or_too_many_words(en: CommandFilter) -> None:
    assert en.candidate(heard("stop", per_word=1.8), gap_before=3.0) is None
    assert en.candidate(heard("yes yes yes yes"), gap_before=3.0) is None


def test_variants_agree_with_the_grammar_phrase(en: CommandFilter) -> None:
    cand = en.candidate(heard("i am done"), gap_before=2.0)
    assert cand is not None and cand.command is CommandName.DONE
    assert en.confirm(cand, "i'm done")


def test_im_done_closing_a_turn_splits_content_from_command(en: CommandFilter) -> None:
    h = heard("i appreciate the walks we take i'm done")
    cand = en.candidate(h, gap_before=0.0)
    assert cand is not None and cand.command is CommandName.DONE
    assert cand.content == "i appreciate the walks we take"
    assert cand.start == h.words[-2].start and cand.end == h.words[-1].end
    assert en.candidate(heard("we should stop talking about money stop"), gap_before=3.0) is None


def test_korean_spacing_does_not_matter() -> None:
    ko = CommandFilter(load_phrases("ko"))
    cand = ko.candidate(heard("다했어요"), gap_before=5.0)
    assert cand is not None and cand.command is CommandName.DONE
    assert ko.confirm(cand, "다 했어요")
    yes = ko.candidate(heard("예"), gap_before=5.0)
    assert yes is not None and ko.confirm(yes, "네") and yes.command is CommandName.YES


def test_custom_phrase_file(tmp_path: Path) -> None:
    path = tmp_path / "phrases.toml"
    path.write_text('[de.pause]\nsay = ["pause"]\n[de.stop]\nsay = ["halt"]\nalso = ["stopp"]\n')
    de = CommandFilter(load_phrases("de", path))
    cand = de.candidate(heard("stopp"), gap_before=2.0)
    assert cand is not None and cand.command is CommandName.STOP and de.confirm(cand, "halt")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[xx.pause]\nsay = ['p']\n", "no command phrases for language 'de'"),
        ("[de.dance]\nsay = ['tanz']\n", "unknown command 'dance'"),
        ("[de.pause]\nalso = ['p']\n", "needs a list `say"),
        ("[de.pause\n", "invalid TOML"),
    ],
)
def test_bad_phrase_files_are_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")) as err:
        load_phrases("de", path)
    assert "\n" not in str(err.value)
