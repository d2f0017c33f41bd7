"""The word error rate helpers (speechlab/wer.py) that the appreciation figures use."""

from __future__ import annotations

from speechlab.wer import (
    Errors,
    align_errors,
    error_rate,
    keeps_case_and_punctuation,
    normalize,
    number_words,
    ordinal_words,
    word_errors,
)


def test_normalising_drops_case_punctuation_and_writes_numbers_and_titles_as_words() -> None:
    assert normalize("And Mr. John Dashwood, ill-disposed!") == \
        ["and", "mister", "john", "dashwood", "ill", "disposed"]
    assert normalize("Let's try 10 minutes on the 3rd, at 2.5%.") == \
        ["lets", "try", "ten", "minutes", "on", "the", "third", "at", "two", "point", "five",
         "percent"]
    assert normalize("1,250 people") == ["one", "thousand", "two", "hundred", "fifty", "people"]


def test_numbers_and_ordinals_in_words() -> None:
    assert number_words(0) == "zero"
    assert number_words(42) == "forty two"
    assert number_words(1984) == "one thousand nine hundred eighty four"
    assert number_words(2_000_005) == "two million five"
    assert ordinal_words(1) == "first"
    assert ordinal_words(22) == "twenty second"
    assert ordinal_words(40) == "fortieth"
    assert ordinal_words(12) == "twelfth"


def test_errors_are_counted_by_kind() -> None:
    ref = ["he", "was", "not", "an", "ill", "disposed", "young", "man"]
    dropped_and_added = ["he", "was", "an", "ill", "disposed", "old", "young", "man"]
    changed = ["she", *ref[1:]]
    assert align_errors(ref, ref) == Errors(0, 0, 0, 8)
    assert align_errors(ref, dropped_and_added) == Errors(0, 1, 1, 8)
    assert align_errors(ref, changed) == Errors(1, 0, 0, 8)
    assert align_errors([], ["hello"]).rate == 1.0


def test_the_rate_is_over_all_words_together() -> None:
    total = error_rate([("a b c d", "a b c d"), ("e f", "e x")])
    assert (total.count, total.words) == (1, 6)
    assert word_errors("mister john", "Mr. John.").count == 0


def test_saved_text_keeps_its_case_and_punctuation() -> None:
    assert keeps_case_and_punctuation("Thank you for making coffee every morning.")
    assert not keeps_case_and_punctuation("thank you for making coffee every morning")
    assert not keeps_case_and_punctuation("")
