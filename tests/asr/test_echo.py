"""Echo guard: drops what the assistant itself said a moment ago (clock passed in)."""

from __future__ import annotations

from assistant.asr.echo import EchoGuard, similarity


def test_recent_prompt_coming_back_is_an_echo() -> None:
    guard = EchoGuard(window=8.0, threshold=0.6)
    guard.said("Partner A, your turn. Five minutes.", until=10.0)
    assert guard.is_echo("partner a your turn five minutes", now=11.0)
    assert guard.is_echo("partner a your turn", now=12.0)  # a leaked fragment
    assert not guard.is_echo("partner a your turn five minutes", now=18.5)  # too long ago


def test_partner_words_are_not_echoes() -> None:
    guard = EchoGuard()
    guard.said("Say yes or no.", until=5.0)
    assert not guard.is_echo("yes", now=6.0)
    assert not guard.is_echo("i appreciate how you made breakfast", now=6.0)


def test_similarity_is_symmetric_on_token_sequences() -> None:
    assert similarity("a b c d", "a b c d") == 1.0
    assert similarity("", "anything") == 0.0
    assert 0.0 < similarity("let us take a pause", "take a pause now") < 1.0


def test_prompts_said_back_to_back_come_back_as_one_stretch() -> None:
    """Whisper keeps a stretch open through a second of quiet, so two leaked prompts
    can come back as one transcript (found by scripts/eval_false_accepts.py, where its
    "... and I'm done" ending became a command)."""
    guard = EchoGuard()
    guard.said("I can hear you again. Let's carry on.", until=20.0)
    guard.said("Ana, did Ben hear you right? Say yes, or add one thing and I'm done.", until=26.0)
    heard = ("I can hear you again. Let's carry on. Ana did Ben hear you right? "
             "Say yes or add one thing and I'm done.")
    assert guard.is_echo(heard, now=27.0)
    assert not guard.is_echo("I hear you and I am done with the dishes", now=27.0)


def test_a_short_prompt_heard_back_as_other_short_words_is_an_echo() -> None:
    guard = EchoGuard()
    guard.said("Saved.", until=30.0)
    assert guard.is_echo("Save it.", now=31.0)  # heard so at -20 dB (eval_false_accepts)
    assert not guard.is_echo("Next.", now=31.0)
    guard.said("Ana, are you ready? Say yes, or no.", until=40.0)
    assert not guard.is_echo("Yes.", now=41.0)  # the answer to a long prompt is no echo
