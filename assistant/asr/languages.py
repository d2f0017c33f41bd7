"""Which language a model hears, when nothing written down says so.

A model folder unzipped by hand (or the Korean package's folder given by path) has no
metadata and a name no registry knows. Its vocabulary still tells: a Vosk model knows
the words of its own language's command phrases and hardly any of another's. A
Whisper model in CTranslate2's format is English-only when its vocabulary lacks the
language tokens (51,864 entries; multilingual models have more).
"""

from __future__ import annotations

from pathlib import Path

ENGLISH_ONLY_WHISPER = 51_864
MIN_COVERAGE = 0.75  # of a language's command words the vocabulary must know


def language_from_vocabulary(path: Path) -> str | None:
    """The language whose command words the model knows best, or None."""
    if (path / "vocabulary.txt").is_file():
        try:
            with (path / "vocabulary.txt").open(encoding="utf-8", errors="replace") as f:
                size = sum(1 for _ in f)
        except OSError:
            return None
        return "en" if size == ENGLISH_ONLY_WHISPER else None
    from assistant.asr.vocabulary import model_words, phrase_words
    from assistant.phrases import known_languages, load_phrases

    wanted = {lang: phrase_words(load_phrases(lang).grammar_phrases())
              for lang in known_languages()}
    known = model_words(path, set().union(*wanted.values()))
    if not known:
        return None
    coverage = {lang: len(words & known) / len(words) for lang, words in wanted.items() if words}
    best = max(coverage, key=lambda lang: coverage[lang])
    return best if coverage[best] >= MIN_COVERAGE else None


NAMES = {"en": "English", "ko": "Korean", "de": "German", "fr": "French", "es": "Spanish"}


def language_name(code: str) -> str:
    """"English" for "en"; an unknown code as itself."""
    return NAMES.get(code, code)
