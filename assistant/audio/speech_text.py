"""A prompt cut into the pieces a voice renders one at a time, and each piece's clauses.

Why pieces: a neural voice renders about a tenth of a second per second of speech, so
a three-sentence prompt rendered whole would keep a couple waiting before its first
word. Rendered sentence by sentence, the first sentence plays while the next is
rendered. A long first sentence is cut once more, at its first clause, so the first
words start within 300 ms (docs/audio.md, "The warm voice").

Why clauses: the espeak-ng program prints phonemes without punctuation, and a voice
pauses and lilts by the punctuation it is given, so the text's own punctuation is kept
here and put back between the phonemes (`phonemes.py`). Pure text: no audio, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? or … (with any closing quotes) before white space.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’»)]))\s+")
# A clause ends at punctuation a voice pauses at, or at the end of the text.
_CLAUSE = re.compile(r"([^,;:.!?…]+)([,;:.!?…]+|$)")
_FIRST_CLAUSE = re.compile(r"(.*?[,;:][\"'”’»)]*)\s+(.+)")  # the first clause, and the rest
_JOINS = (  # words a long first clause may be cut before, most natural first
    {"and", "or", "but", "so", "because", "when", "if", "while", "then"},
    {"to", "for", "of", "in", "on", "at", "about", "with", "from", "what", "that", "how"},
    {"the", "a", "an", "your", "our", "this", "each", "one"},
)
_DROPPED = re.compile(r"[\"“”«»()\[\]{}*_#<>|\\/]")  # said as nothing (quotes, brackets)
_SPOKEN = re.compile(r"\w")
FIRST_PIECE_WORDS = 4  # a first sentence longer than this starts with its first clause


@dataclass(frozen=True)
class Clause:
    """Words said together, and the punctuation that ends them ("" when none)."""

    words: str
    punctuation: str


def sentences(text: str) -> list[str]:
    """The sentences of a prompt, each with its own end punctuation."""
    flat = " ".join(text.split())
    return [s.strip() for s in _SENTENCE_END.split(flat) if _SPOKEN.search(s)]


def pieces(text: str, first_words: int = FIRST_PIECE_WORDS) -> list[str]:
    """What is rendered at a time: sentences, the first one cut short when it is longer than
    `first_words` words, so its first words are ready sooner: at its first clause, and a
    first clause still that long before a joining word ("Share the best | and the...")."""
    found = sentences(text)
    if not found or len(found[0].split()) <= first_words:
        return found
    head, rest = found[0], ""
    cut = _FIRST_CLAUSE.match(head)
    if cut is not None and _SPOKEN.search(cut.group(1)) and _SPOKEN.search(cut.group(2)):
        head, rest = cut.group(1), cut.group(2)
    words = head.split()
    if len(words) > first_words:
        at = _join_before(words, first_words)
        if at:
            head, rest = " ".join(words[:at]), " ".join([*words[at:], rest]).strip()
    return [head, rest, *found[1:]] if rest else found


def _join_before(words: list[str], most: int) -> int:
    """Where to cut `words` (after 2 to `most` of them) before a joining word, 0 if nowhere;
    a conjunction is the most natural place, then a preposition, then an article."""
    for joins in _JOINS:
        for at in range(min(most, len(words) - 1), 1, -1):
            if words[at].lower() in joins and _SPOKEN.search(words[at - 1][-1:]):
                return at
    return 0


def clauses(sentence: str) -> list[Clause]:
    """A sentence's clauses, each with its punctuation (only those with a word to say)."""
    cleaned = _DROPPED.sub(" ", sentence)
    found = []
    for match in _CLAUSE.finditer(cleaned):
        words = " ".join(match.group(1).split())
        if _SPOKEN.search(words):
            found.append(Clause(words, _first_mark(match.group(2))))
    return found


def _first_mark(marks: str) -> str:
    """One mark for a run of them: "?!" asks, "..." trails off like a full stop."""
    if not marks:
        return ""
    if "?" in marks:
        return "?"
    if "!" in marks:
        return "!"
    return "." if marks[0] == "…" else marks[0]
