"""Word error rate of English transcripts, for the tests and scripts/eval_appreciations.py.

A transcript and its reference are compared as words after both are normalised the
same way: lower case, punctuation and apostrophes dropped, hyphens and dashes as
spaces, numbers written as words ("10" -> "ten", "3rd" -> "third", "2.5" -> "two
point five") and a few titles spelled out ("Mr." -> "mister"), since a reference
transcript ("mister john dashwood") and Whisper ("Mr. John Dashwood") write the same
speech differently. The rate is (substitutions + deletions + insertions) / reference
words, over all pairs together (not a mean of rates).

What a couple keeps must still read as they said it, so `keeps_case_and_punctuation`
checks the saved text itself, before any normalising.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
         "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
         "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = [(10**9, "billion"), (10**6, "million"), (1000, "thousand"), (100, "hundred")]
_ORDINAL = {"one": "first", "two": "second", "three": "third", "five": "fifth",
            "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}
TITLES = {"mr": "mister", "mrs": "missus", "ms": "miss", "dr": "doctor", "st": "saint"}
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?(?:st|nd|rd|th)?")


def number_words(n: int) -> str:
    """A whole number in words: 1984 -> "one thousand nine hundred eighty four"."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    for size, name in _SCALES:
        if n >= size:
            head = number_words(n // size) + " " + name
            return head if n % size == 0 else head + " " + number_words(n % size)
    raise AssertionError("unreachable")


def ordinal_words(n: int) -> str:
    """1 -> "first", 22 -> "twenty second", 40 -> "fortieth"."""
    words = number_words(n).split()
    last = words[-1]
    if last in _ORDINAL:
        words[-1] = _ORDINAL[last]
    elif last.endswith("y"):
        words[-1] = last[:-1] + "ieth"
    else:
        words[-1] = last + "th"
    return " ".join(words)


def _spell_number(match: re.Match[str]) -> str:
    token = match.group(0)
    ordinal = token[-2:] in ("st", "nd", "rd", "th")
    digits = token[:-2] if ordinal else token
    whole, _, fraction = digits.replace(",", "").partition(".")
    if ordinal and not fraction:
        return f" {ordinal_words(int(whole))} "
    spoken = number_words(int(whole))
    if fraction:
        spoken += " point " + " ".join(_ONES[int(d)] for d in fraction)
    return f" {spoken} "


def normalize(text: str) -> list[str]:
    """The words of `text`, normalised for scoring (see the module docstring)."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"(?<=\d)%", " percent", text)
    text = _NUMBER.sub(_spell_number, text)
    text = re.sub(r"[-–—/]", " ", text)
    text = text.replace("'", "")
    text = re.sub(r"[^\w\s]", " ", text)
    return [TITLES.get(word, word) for word in text.split()]


@dataclass(frozen=True)
class Errors:
    """Word errors of one or more transcripts against their references."""

    substitutions: int = 0
    deletions: int = 0
    insertions: int = 0
    words: int = 0  # reference words

    @property
    def count(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @property
    def rate(self) -> float:
        return self.count / self.words if self.words else float(self.count > 0)

    def __add__(self, other: Errors) -> Errors:
        return Errors(self.substitutions + other.substitutions,
                      self.deletions + other.deletions,
                      self.insertions + other.insertions, self.words + other.words)


def align_errors(reference: list[str], hypothesis: list[str]) -> Errors:
    """The fewest substitutions, deletions and insertions turning `reference` into
    `hypothesis` (Levenshtein over words; among equal totals, fewer substitutions)."""
    rows, cols = len(reference) + 1, len(hypothesis) + 1
    # each cell: (errors, substitutions, deletions, insertions)
    cost = [[(0, 0, 0, 0)] * cols for _ in range(rows)]
    for i in range(1, rows):
        cost[i][0] = (i, 0, i, 0)
    for j in range(1, cols):
        cost[0][j] = (j, 0, 0, j)
    for i in range(1, rows):
        for j in range(1, cols):
            same = reference[i - 1] == hypothesis[j - 1]
            e, s, d, n = cost[i - 1][j - 1]
            options = [(e + (not same), s + (not same), d, n)]
            e, s, d, n = cost[i - 1][j]
            options.append((e + 1, s, d + 1, n))
            e, s, d, n = cost[i][j - 1]
            options.append((e + 1, s, d, n + 1))
            cost[i][j] = min(options, key=lambda c: (c[0], c[1]))
    _, s, d, n = cost[-1][-1]
    return Errors(s, d, n, len(reference))


def word_errors(reference: str, hypothesis: str) -> Errors:
    """Word errors of one transcript, both texts normalised."""
    return align_errors(normalize(reference), normalize(hypothesis))


def error_rate(pairs: Iterable[tuple[str, str]]) -> Errors:
    """Word errors over (reference, hypothesis) pairs together."""
    total = Errors()
    for reference, hypothesis in pairs:
        total += word_errors(reference, hypothesis)
    return total


def keeps_case_and_punctuation(text: str) -> bool:
    """True when a saved text reads as written: it starts with a capital letter and
    holds punctuation (what a normalised or lower-cased transcript would not)."""
    stripped = text.strip()
    return bool(stripped) and stripped[0].isupper() and bool(re.search(r"[.,!?;:]", stripped))
