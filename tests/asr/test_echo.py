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
