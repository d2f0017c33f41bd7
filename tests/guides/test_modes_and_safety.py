"""Guide authors write one sentence for both ways of answering, and every guide has a
safety note: {say}/{Say}, a step's `typed` words, [verbs], and the `safety` line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from assistant.guides import SHIPPED, guide_warnings, load_guide, parse_file
from tests.support.cli import checkin
from tests.support.guide_files import MINIMAL, problems, write

SAFETY = 'safety = "This is not therapy. If there is abuse, seek professional or legal help."\n'
WITH_SAFETY = MINIMAL.replace('prompts = ["Hello."]\n', 'prompts = ["Hello."]\n' + SAFETY)
TIMED_CLOSING = 'prompts = ["{a_name} spoke for {a_time}, {b_name} for {b_time}."]'


def checks(path: Path) -> subprocess.CompletedProcess[str]:
    return checkin("guides", "check", str(path))


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_guides_have_a_safety_note_and_no_warnings(name: str) -> None:
    guide = load_guide(name)
    assert guide_warnings(guide) == []
    assert guide.steps[0].kind == "say" and guide.steps[0].has("safety")


def test_a_guide_without_a_safety_note_is_warned_about_not_refused(tmp_path: Path) -> None:
    guide, found = parse_file(write(tmp_path, MINIMAL))
    assert found == [] and guide is not None
    assert [str(w) for w in guide_warnings(guide)] == [
        "safety: this guide has no safety note; add a `safety` line to its first say step "
        "(not therapy; abuse or coercion: seek help)"]
    with_note, _ = parse_file(write(tmp_path, WITH_SAFETY))
    assert with_note is not None and guide_warnings(with_note) == []
    assert with_note.safety_note().startswith("This is not therapy.")


def test_guides_check_prints_the_safety_warning_on_one_line_and_succeeds(
        tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    run = checks(path)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert lines == [f"{path}: warning: safety: this guide has no safety note; add a `safety` "
                     "line to its first say step (not therapy; abuse or coercion: seek help)",
                     f"{path}: ok: mine, 2 steps."]
    run = checks(write(tmp_path, WITH_SAFETY))
    assert run.returncode == 0 and "warning" not in run.stdout


def test_say_placeholders_are_allowed_everywhere(tmp_path: Path) -> None:
    text = WITH_SAFETY.replace('"Hello."', '"Hello. {Say} \\"pause\\" any time."').replace(
        '"Goodbye."', '"{say} goodbye."')
    assert problems(tmp_path, text) == []
    guide, _ = parse_file(write(tmp_path, text))
    assert guide is not None and (guide.verb(False), guide.verb(True)) == ("say", "type")


def test_a_closing_that_reports_speech_needs_typed_words(tmp_path: Path) -> None:
    timed = MINIMAL.replace('prompts = ["{a_name} and {b_name}, thank you."]', TIMED_CLOSING)
    found = problems(tmp_path, timed)
    assert len(found) == 1
    assert found[0].startswith("steps.bye.typed.prompts: missing; prompts say how long each "
                               "partner spoke")
    fixed = timed + 'typed.prompts = ["{a_name} took {a_time}, {b_name} {b_time}."]\n'
    assert problems(tmp_path, fixed) == []
    guide, _ = parse_file(write(tmp_path, fixed))
    assert guide is not None
    bye = guide.steps[-1]
    assert bye.lines("prompts", typed=True) == ["{a_name} took {a_time}, {b_name} {b_time}."]
    assert bye.lines("prompts") == ["{a_name} spoke for {a_time}, {b_name} for {b_time}."]
    assert bye.text("goodbye", typed=True) == "Goodbye."  # no typed words: the shared ones


def test_typed_words_are_checked_like_any_sentence(tmp_path: Path) -> None:
    text = MINIMAL + 'typed.goodbye = "Bye {time}."\ntyped.colour = "blue"\n'
    assert problems(tmp_path, text) == [
        "steps.bye.typed.colour: not a sentence of a closing step; expected one of goodbye, "
        "prompts, rituals, tips",
        "steps.bye.typed.goodbye: unknown placeholder {time}; this sentence can use {Say}, {say}",
    ]


def test_verbs_can_be_replaced_for_another_language(tmp_path: Path) -> None:
    text = MINIMAL + '\n[verbs]\ntyped = "write"\nshout = "loud"\n'
    assert problems(tmp_path, text) == ["verbs.shout: unknown; expected one of voice, typed"]
    guide, _ = parse_file(write(tmp_path, MINIMAL + '\n[verbs]\ntyped = "write"\n'))
    assert guide is not None and (guide.verb(False), guide.verb(True)) == ("say", "write")
