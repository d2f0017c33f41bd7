"""Typed words to commands: the keyboard's half of "say it or type it".

A typed line is a command only when the whole line is one of the command phrases
(case, punctuation and spacing aside), so "I can't pause my life" stays words.
"""

from __future__ import annotations

import re

from assistant.flow.events import CommandName

TYPED_PHRASES: dict[str, CommandName] = {
    "next": CommandName.NEXT,
    "i'm done": CommandName.DONE,
    "im done": CommandName.DONE,
    "i am done": CommandName.DONE,
    "done": CommandName.DONE,
    "pause": CommandName.PAUSE,
    "continue": CommandName.CONTINUE,
    "repeat": CommandName.REPEAT,
    "stop": CommandName.STOP,
    "yes": CommandName.YES,
    "y": CommandName.YES,
    "no": CommandName.NO,
    "n": CommandName.NO,
    "save it": CommandName.SAVE,
    "save": CommandName.SAVE,
    "say again": CommandName.AGAIN,
    "again": CommandName.AGAIN,
}

_NOISE = re.compile(r"[^\w' ]+")


def normalize(text: str) -> str:
    """Lower case, straight apostrophes, no punctuation, single spaces."""
    text = text.lower().replace("\u2019", "'")
    return " ".join(_NOISE.sub(" ", text).split())


def parse_typed(text: str) -> CommandName | None:
    """The command a typed line is, or None when it is words to keep."""
    return TYPED_PHRASES.get(normalize(text))
