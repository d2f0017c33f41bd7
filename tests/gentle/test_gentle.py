"""The gentle-words check: blame decided by the whole clause, not a keyword; "I"
statements counted; and the labelled sentences meeting their targets."""

from __future__ import annotations

import pytest

from assistant.gentle import Reading, blames, read, reads
from speechlab.gentle_labelled import load, score
from tests.support.script_runs import run_script


@pytest.mark.parametrize("text", [
    "You never listen to me.", "you always leave the dishes", "It's your fault.",
    "its your fault", "Why can't you ever help me?", "You do nothing around the house.",
    "Every time I bring it up, you walk away.", "You interrupt me all the time.",
    "I feel like you never listen to me.", "Not once have you asked how I am.",
    "You always make fun of my cooking.", "You never make me feel special.",
    "How many times do I have to tell you?", "You always don't listen.",
])
def test_blame(text: str) -> None:
    assert blames(text)


@pytest.mark.parametrize("text", [
    "You always make me laugh", "you never fail to surprise me", "I never want to lose you",
    "I love you always.", "It's not your fault.", "You never judge me.",
    "You always notice when I'm sad.", "You never stop making me smile.",
    "You have nothing to worry about.", "You never make me feel silly for crying.",
    "Thank you for always being patient with me.", "You make everything better.",
    "Why do you always make me laugh so much?", "You never let me down.",
])
def test_kind_words_with_the_same_words_are_not_blame(text: str) -> None:
    assert not blames(text)


@pytest.mark.parametrize("text", [
    "You never know what tomorrow brings.", "You should never skip breakfast.",
    "Are you always this tired after work?", "You don't always have to cook.",
    "What I heard is that you feel I never listen.", "We always argue about money.",
    "The bus is always late.", "If you ever need help, just ask.",
])
def test_everyday_sentences_are_not_blame(text: str) -> None:
    assert not blames(text)


def test_statements_and_i_statements_are_counted() -> None:
    assert read("You never listen to me and you always leave the dishes") == Reading(2, 0, 2)
    assert read("I noticed we stopped walking. I feel lonely when we don't talk.") == \
        Reading(2, 2, 0)
    assert read("I'm tired, and you never help") == Reading(2, 1, 1)
    assert read("You always notice when I'm sad.") == Reading(1, 0, 0)  # "you", not "I"
    assert read("When you're late, I worry.") == Reading(1, 1, 0)
    assert read("") == Reading()


def test_korean_as_far_as_the_phrase_set_allows() -> None:
    assert reads("ko") and not reads("de")
    assert read("너는 항상 내 말을 안 들어.", "ko").blame == 1
    assert read("네 잘못이야.", "ko").blame == 1
    assert read("너는 항상 나를 웃게 해.", "ko").blame == 0
    assert read("네 잘못이 아니야.", "ko").blame == 0
    assert read("당신은 한 번도 나를 실망시킨 적이 없어.", "ko").blame == 0
    assert read("나는 요즘 외로웠어.", "ko") == Reading(1, 1, 0)
    assert read("You never listen to me", "de") == Reading()


def test_the_labelled_sentences_meet_the_targets() -> None:
    sentences = load()
    assert len(sentences) >= 300
    for language in ("en", "ko"):
        result = score(s for s in sentences if s.language == language)
        assert result.tipped["kind"] == 0, [s.text for s in result.wrong if s.label == "kind"]
        assert result.recall >= 0.8, [s.text for s in result.missed]
    english = score(s for s in sentences if s.language == "en")
    assert min(english.count.values()) >= 100  # blame, kind and neutral, each
    assert english.precision >= 0.95


def test_the_evaluation_script_prints_the_figures_text_only() -> None:
    run = run_script("eval_gentle_words", "--text-only")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "text targets (no tip on kind, recall >= 80%): met" in run.stdout
    assert "held-3" in run.stdout


@pytest.mark.slow
def test_the_evaluation_script_quick_hears_spoken_sentences() -> None:
    from speechlab.english import missing_voices

    if missing_voices():
        pytest.skip(missing_voices())
    run = run_script("eval_gentle_words", "--quick", timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "same decision as the text: 6 of 6" in run.stdout
