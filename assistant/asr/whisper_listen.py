"""The Whisper engine's listener parts: a stretch of speech transcribed when it closes,
and the second check of a command (see listener.py for where they sit).

Whisper has no streaming mode and no grammar. `WhisperRecognizer` keeps a segment's
audio and, when the segment closes, encodes it once, decodes it, and times its words
from the same encoding. It writes text for noise ("Thank you.", "you") when pushed, so
a transcript the model itself thinks is no speech, written with little confidence, is
dropped (`SILENCE`).

`WhisperCheck` is the second, independent check of a command candidate: every
command's phrases are scored on the same audio by forcing the decoder to write each
one; the candidate stands only when one of its own command's phrases explains the
audio best, well (`MIN_SCORE`), and clearly better than any other command's
(`MIN_MARGIN`). A standalone command is scored on the encoding of the utterance just
transcribed, so its check costs the scoring alone. Thresholds: docs/asr.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.asr.commands import Candidate
from assistant.asr.engine import WHISPER_LIMIT
from assistant.asr.results import Caption, Heard, Word
from assistant.asr.whisper_model import Decoded, WhisperModel
from assistant.audio.frames import RATE
from assistant.flow.events import CommandName
from assistant.phrases import PhraseSet


@dataclass(frozen=True)
class Silence:
    """When a transcript is the model hearing speech in noise: it says the window
    holds no speech with at least `no_speech` probability and wrote its words with a
    mean log-probability of at most `score`."""

    no_speech: float = 0.6
    score: float = -1.0

    def holds(self, decoded: Decoded) -> bool:
        if not decoded.text:
            return True
        return decoded.no_speech >= self.no_speech and decoded.score <= self.score


SILENCE = Silence()
MIN_SCORE = -2.5  # mean log-probability per token of the best phrase (about 1 in 12)
MIN_MARGIN = 1.0  # ... and at least this much above any other command's phrase


@dataclass
class Transcribed:
    """The last stretch transcribed: its audio and encoding, for the command check."""

    samples: np.ndarray
    encoded: Any
    decoded: Decoded


SHORT_SECONDS = 2.5  # a segment this short (pre-roll and hangover included) may be a command
EDGE = 0.1  # how late the detector hears a word begin and end (seconds)


class WhisperRecognizer:
    """A segment's audio, transcribed with its word times when the segment closes.

    A short segment is most likely a command, so it is decoded with the command
    phrases as Whisper's "previous text" (`context`), which makes them likelier; the
    second check scores phrases without it, on the audio alone.
    """

    def __init__(self, model: WhisperModel, silence: Silence = SILENCE,
                 context: str = "") -> None:
        self.model = model
        self.silence = silence
        self.context = context
        self.last: Transcribed | None = None
        self.dropped = 0  # transcripts taken for noise (for measurements)
        self.windows = 0  # encoder passes (for measurements)
        self._start = 0.0
        self._parts: list[np.ndarray] = []

    def begin(self, stream_time: float) -> None:
        self._start = stream_time
        self._parts = []
        self.last = None

    def accept(self, samples: np.ndarray, now: float) -> list[Heard | Caption]:
        self._parts.append(samples)
        return []  # nothing to show until the stretch is heard whole

    def drop(self) -> None:
        self._parts = []

    def finish(self, speech: tuple[float, float] | None = None) -> Heard | None:
        """Transcribe the segment. Whisper's word times come from its attention, which
        gives the first word the quiet before it and the last the quiet after it:
        they are kept within where the detector heard `speech` (a little wider: it
        hears a word's edges late)."""
        samples = np.concatenate(self._parts) if self._parts else np.zeros(0, np.int16)
        self._parts = []
        limit = int(WHISPER_LIMIT * RATE)
        words: list[Word] = []
        texts: list[str] = []
        for at in range(0, len(samples), limit):  # one window unless the segmenter failed
            said = self._window(samples[at:at + limit], self._start + at / RATE, speech)
            if said is not None:
                texts.append(said[0])
                words.extend(said[1])
        if not texts:
            return None
        text = " ".join(texts)
        if not words:  # nothing the alignment could place
            return Heard(text, self._start, self._start + len(samples) / RATE, 0.0, ())
        confidence = float(np.mean([w.conf for w in words]))
        return Heard(text, words[0].start, words[-1].end, confidence, tuple(words))

    def _window(self, samples: np.ndarray, start: float,
                speech: tuple[float, float] | None) -> tuple[str, list[Word]] | None:
        """One window's text and timed words, or None when it held no speech."""
        seconds = len(samples) / RATE
        first, last = start, start + seconds
        if speech is not None:
            first = max(first, speech[0] - EDGE)
            last = min(last, max(first, speech[1] + EDGE))
        encoded = self.model.encode(samples)
        self.windows += 1
        context = self.context if seconds <= SHORT_SECONDS else ""
        decoded = self.model.decode(encoded, seconds, context=context)
        if self.silence.holds(decoded):
            self.dropped += 1
            return None
        self.last = Transcribed(samples, encoded, decoded)
        timed = self.model.words(encoded, decoded.tokens, last - start)
        return decoded.text, [Word(w.text, min(max(start + w.start, first), last),
                                   min(max(start + w.end, first), last), w.probability)
                              for w in timed]


def command_context(phrases: PhraseSet) -> str:
    """The grammar phrases as written sentences, the context of a short segment."""
    return "".join(written_form(p) for p in phrases.grammar_phrases()).strip()


def written_form(phrase: str) -> str:
    """A command phrase as Whisper writes a lone sentence: " I'm done.", " Pause."."""
    words = [("I" + w[1:]) if w in ("i", "i'm", "i'll", "i've") or w.startswith("i'")
             else w for w in phrase.split()]
    text = " ".join(words)
    return " " + text[:1].upper() + text[1:] + "."


class WhisperCheck:
    """Scores the command phrases on a candidate's audio (see the module docstring)."""

    def __init__(self, model: WhisperModel, recognizer: WhisperRecognizer | None,
                 phrases: PhraseSet, min_score: float = MIN_SCORE,
                 min_margin: float = MIN_MARGIN) -> None:
        self.model = model
        self.recognizer = recognizer
        self.phrases = phrases
        self.min_score = min_score
        self.min_margin = min_margin
        self._forms = {p: model.tokens.encode(written_form(p))
                       for p in _every_phrase(phrases)}
        self.last_scores: dict[str, float] = {}  # for measurements and diagnosis

    def phrase_heard(self, samples: np.ndarray, candidate: Candidate) -> str:
        last = self.recognizer.last if self.recognizer is not None else None
        if not candidate.content and last is not None:  # the utterance just transcribed
            encoded, seconds = last.encoded, len(last.samples) / RATE
        else:
            encoded, seconds = self.model.encode(samples), len(samples) / RATE
        scored = self.scored(candidate.command)
        scores = dict(zip(scored, self.model.phrase_scores(
            encoded, (self._forms[p] for p in scored), seconds), strict=True))
        self.last_scores = scores
        return self.decide(scores)

    def scored(self, command: CommandName) -> list[str]:
        """What a candidate is measured against: every command's grammar phrases, and
        all the ways of saying the candidate's own (about 18 ms each, so not all of
        every command's)."""
        own = self.phrases.say.get(command, ()) + self.phrases.also.get(command, ())
        return list(dict.fromkeys([*self.phrases.grammar_phrases(), *own]))

    def decide(self, scores: dict[str, float]) -> str:
        """The best phrase, if it is good enough and clearly ahead of other commands."""
        if not scores:
            return ""
        best = max(scores, key=lambda p: scores[p])
        command = self.phrases.command_for(best)
        rivals = [s for p, s in scores.items() if self.phrases.command_for(p) != command]
        margin = scores[best] - max(rivals, default=-np.inf)
        if scores[best] < self.min_score or margin < self.min_margin:
            return ""
        return best


def _every_phrase(phrases: PhraseSet) -> Iterable[str]:
    """Every phrase of every command, once: the grammar's `say` and the `also` variants."""
    seen: dict[str, None] = {}
    for name in CommandName:
        for phrase in phrases.say.get(name, ()) + phrases.also.get(name, ()):
            seen.setdefault(phrase, None)
    return list(seen)
