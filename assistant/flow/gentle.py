"""Gentle words in a check-in: counted per turn, and one tip per partner at most.

During a sharing turn (a `turns` step, or the speaker's own part of a `reflect`
step: never the listener saying back what they heard, which repeats the other's
words), each `Utterance` is read in memory by assistant/gentle and only its counts
are added to the turn. When the turn ends with blame in it, the guide's
`gentle_words` sentence is said then, never during it, and never twice to the same
partner in one check-in. Off with `gentle_words = false` (the config file, the guide's
[settings]) or `checkin run --no-gentle-words`: then nothing is read or counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assistant.gentle import read, reads


@dataclass
class TurnWords:
    """One turn's counts; the words themselves are never kept."""

    counted: bool
    language: str = "en"
    statements: int = 0
    i_statements: int = 0
    blame: int = 0

    def heard(self, text: str) -> None:
        """Read one thing said (a typed line or a recognized stretch of speech)."""
        if not self.counted:
            return
        reading = read(text, self.language)
        self.statements += reading.statements
        self.i_statements += reading.i_statements
        self.blame += reading.blame


class GentleWords:
    """The check-in's gentle-words state: who has had their tip."""

    def __init__(self, language: str, enabled: bool = True,
                 tipped: Iterable[str] = ()) -> None:
        self.language = language
        self.enabled = enabled and reads(language)
        self.tipped = set(tipped)

    def turn(self, sharing: bool) -> TurnWords:
        """Counts for a turn that begins: only a sharing turn is read."""
        return TurnWords(self.enabled and sharing, self.language)

    def tip_due(self, partner: str, words: TurnWords) -> bool:
        """After `partner`'s turn: True (once per check-in) when it held blame."""
        if not words.counted or not words.blame or partner in self.tipped:
            return False
        self.tipped.add(partner)
        return True
