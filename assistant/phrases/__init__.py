"""Typed words to commands: the keyboard's half of "say it or type it".

A typed line is a command only when the whole line is one of the spoken command
phrases of the guide's language (assistant/asr/phrases.toml, the same list the voice
uses) or one of a few keyboard shortcuts, so "I can't pause my life" stays words.
"""

from __future__ import annotations

from functools import lru_cache

from assistant.asr.commands import PhraseSet, load_phrases, normalize
from assistant.flow.events import CommandName

# Only for typing: a single letter is never a spoken command.
SHORTCUTS: dict[str, CommandName] = {
    "y": CommandName.YES,
    "n": CommandName.NO,
    "again": CommandName.AGAIN,
}


@lru_cache(maxsize=8)
def _phrases(language: str) -> PhraseSet:
    return load_phrases(language)


def parse_typed(text: str, language: str = "en") -> CommandName | None:
    """The command a typed line is, or None when it is words to keep."""
    shortcut = SHORTCUTS.get(normalize(text))
    if shortcut is not None:
        return shortcut
    found = _phrases(language).command_for(text)
    if found is None and language != "en":  # English words work on every keyboard
        found = _phrases("en").command_for(text)
    return found
