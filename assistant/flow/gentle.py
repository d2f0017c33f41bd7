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
from dataclasses import dataclass, field

from assistant.gentle import read, reads

# A stretch of speech that begins with one of these finishes the sentence before it: the
# recognizer cut it at a pause ("You've never been anything." / "but kind to me.").
_GOES_ON = {"and", "but", "so", "or", "because", "cause", "when", "whenever", "if", "though",
            "although", "unless", "until", "than"}


@dataclass
class TurnWords:
    """One turn's counts. Of the words, only the last thing said is held, in memory,
    until the next one comes (a sentence the recognizer cut in two is read whole)."""

    counted: bool
    language: str = "en"
    statements: int = 0
    i_statements: int = 0
    blame: int = 0
    _last: str = field(default="", repr=False)  # never shown, never kept

    def heard(self, text: str) -> None:
        """Read one thing said (a typed line or a recognized stretch of speech)."""
        if not self.counted:
            return
        first = text.strip().split(" ", 1)[0].strip(",.").casefold()
        if self._last and first in _GOES_ON:
            self._add(self._last, -1)  # read again, whole
            text = f"{self._last.rstrip().rstrip('.')} {text.strip()}"
        self._add(text, 1)
        self._last = text

    def _add(self, text: str, sign: int) -> None:
        reading = read(text, self.language)
        self.statements += sign * reading.statements
        self.i_statements += sign * reading.i_statements
        self.blame += sign * reading.blame


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
