"""Typed commands use the same phrase list as spoken ones, plus keyboard shortcuts."""

from __future__ import annotations

from assistant.flow.events import CommandName
from assistant.phrases import parse_typed


def test_whole_lines_that_are_command_phrases() -> None:
    assert parse_typed("I'm done.") == CommandName.DONE
    assert parse_typed("  Save it ") == CommandName.SAVE
    assert parse_typed("say it again") == CommandName.AGAIN
    assert parse_typed("y") == CommandName.YES
    assert parse_typed("n") == CommandName.NO


def test_words_that_only_contain_a_command_stay_words() -> None:
    assert parse_typed("I can't pause my life") is None
    assert parse_typed("stop being so loud") is None
    assert parse_typed("") is None


def test_the_guide_language_adds_its_words_and_english_still_works() -> None:
    assert parse_typed("네", "ko") == CommandName.YES
    assert parse_typed("pause", "ko") == CommandName.PAUSE
    assert parse_typed("네") is None  # not an English command
