"""Gentle words: absolute blame ("you always", "you never", "it's your fault") noticed,
and "I" statements counted, in what a partner says during their turn.

The seed guides ask for "I feel…" instead of "You always…"; harsh start-ups and
criticism predict how a conversation ends. This package reads a piece of speech (an
`Utterance`: a typed line, or a stretch of speech the recognizer heard) in memory and
returns three numbers; the words are never kept. The flow (assistant/flow/gentle.py)
adds them up per turn and offers one tip, after the turn, at most once per partner.

It decides by the whole clause, not a keyword: "You always make me laugh" is not
blame. English is read clause by clause (english.py); Korean with a phrase set
(korean.py); any other language is not read at all (every count stays 0).
Measured by scripts/eval_gentle_words.py on tests/gentle/labelled.tsv.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.gentle import english, korean
from assistant.gentle.english import Reading

_READERS: dict[str, Callable[[str], Reading]] = {"en": english.read, "ko": korean.read}
LANGUAGES = tuple(_READERS)


def reads(language: str) -> bool:
    """Whether words in `language` can be read for blame and "I" statements."""
    return language in _READERS


def read(text: str, language: str = "en") -> Reading:
    """The statements, "I" statements and blame phrases in `text` (all 0 for a language
    that cannot be read)."""
    reader = _READERS.get(language)
    return reader(text) if reader is not None else Reading()


def blames(text: str, language: str = "en") -> bool:
    """Whether `text` holds absolute second-person blame."""
    return read(text, language).blame > 0


__all__ = ["LANGUAGES", "Reading", "blames", "read", "reads"]
