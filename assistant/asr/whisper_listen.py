"""The Whisper engine's listener parts: a stretch of speech transcribed when it closes,
and the second check of a command (see listener.py for where they sit).

Whisper has no streaming mode and no grammar. `WhisperRecognizer` keeps a segment's
audio and, when the segment closes, encodes it once, decodes it, and times its words
from the same encoding. It writes text for noise ("Thank you.", "you") when pushed, so
a transcript the model itself thinks is no speech, written with little confidence, is
dropped (`SILENCE`).

`WhisperCheck` is the second, independent check of a command candidate: the command
phrases are scored on the same audio by forcing the decoder to write each one; the
candidate stands only when one of its own command's phrases explains the audio best,
well (`MIN_SCORE`), and clearly better than any other command's grammar phrase
(`MIN_MARGIN`). A standalone command is scored on the encoding of the utterance just
transcribed, so its check costs the scoring alone. Thresholds: docs/asr.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
GATHER_SECONDS = 25.0  # in a turn, stretches are gathered into a window this full
# ... or until the speaker has been quiet this long. 3.0 s filled the soak's turn
# windows as bare does (33 windows where 2.0 s cut 49), but a command said 2-3 s after
# talk then waits for the window before it: "I'm done" took 1.35 s, not 0.6 s
# (docs/asr.md): a command heard quickly comes first.
GATHER_PAUSE = 2.0


@dataclass(frozen=True)
class Piece:
    """One segment in a window: its audio, where it began on the stream, and where the
    detector heard its speech begin and end."""

    samples: np.ndarray
    start: float
    speech: tuple[float, float] | None

    @property
    def end(self) -> float:
        return self.start + len(self.samples) / RATE

    @property
    def spoken_until(self) -> float:
        """When its speech ended (its end, when the detector did not say)."""
        return self.speech[1] if self.speech is not None else self.end

    def heard(self) -> tuple[float, float]:
        """Where its words can lie: its speech, a little wider, within the piece."""
        if self.speech is None:
            return self.start, self.end
        first = max(self.start, self.speech[0] - EDGE)
        return first, min(self.end, max(first, self.speech[1] + EDGE))


@dataclass(frozen=True)
class Held:
    """A short segment heard in a turn that was no command: transcribed already, and
    held back until the window gathered before it is transcribed, so that every
    utterance still comes in the order it was said."""

    piece: Piece
    said: tuple[Heard, ...] = ()

    @property
    def spoken_until(self) -> float:
        return self.piece.spoken_until


def any_may_be_a_command(text: str) -> bool:
    """Without the command phrases to tell, every short segment may be a command."""
    return True


class WhisperRecognizer:
    """Segments transcribed with their word times, one encoder pass per window.

    Outside a partner's turn (answers, items, commands) a segment is transcribed as
    soon as it closes. In a turn (`gather(True)`) the segments of someone talking are
    gathered into one window of up to `GATHER_SECONDS`, transcribed when it is full,
    when the speaker has paused `GATHER_PAUSE`, when a short segment that may be a
    command closes, or when the turn ends: one encoder pass serves many sentences, as
    it would for the whole recording (measured in docs/asr.md), and every utterance
    still comes in the order it was said, each with its own times. A short segment is
    transcribed alone at once (it may be a command: `may_be_command`, from its
    transcript); one that cannot be ("Yeah.", "I know.") is held with the window, which
    goes on gathering around it instead of being cut short.

    A short segment is most likely a command, so it is decoded with the command
    phrases as Whisper's "previous text" (`context`), which makes them likelier; the
    second check scores phrases without it, on the audio alone.
    """

    def __init__(self, model: WhisperModel, silence: Silence = SILENCE,
                 context: str = "",
                 may_be_command: Callable[[str], bool] = any_may_be_a_command) -> None:
        self.model = model
        self.silence = silence
        self.context = context
        self.may_be_command = may_be_command
        self.last: Transcribed | None = None
        self.dropped = 0  # transcripts taken for noise (for measurements)
        self.windows = 0  # encoder passes (for measurements)
        self.gathering = False  # a partner's turn is on
        self._start = 0.0
        self._parts: list[np.ndarray] = []
        self._waiting: list[Piece | Held] = []  # closed segments gathered for one window

    def gather(self, on: bool) -> None:
        """A turn began (True) or ended: the gathered window is transcribed at the next
        chunk (`idle`) when it ends, on the thread that recognizes."""
        self.gathering = on

    @property
    def holding(self) -> bool:
        return bool(self._waiting)

    def begin(self, stream_time: float) -> None:
        self._start = stream_time
        self._parts = []
        self.last = None

    def accept(self, samples: np.ndarray, now: float) -> list[Heard | Caption]:
        self._parts.append(samples)
        return []  # nothing to show until the stretch is heard whole

    def drop(self) -> None:
        self._parts = []

    def finish(self, speech: tuple[float, float] | None = None) -> list[Heard]:
        """The segment closed: what it said, or nothing yet while a turn's window is
        still gathering."""
        samples = np.concatenate(self._parts) if self._parts else np.zeros(0, np.int16)
        self._parts = []
        piece = Piece(samples, self._start, speech)
        if len(samples) / RATE <= SHORT_SECONDS and self._waiting:
            return self._short_in_turn(piece)
        if not self.gathering or len(samples) / RATE <= SHORT_SECONDS:
            return self.pending() + self._transcribe([piece])
        heard = self.pending() if self._seconds() + len(samples) / RATE > WHISPER_LIMIT else []
        self._waiting.append(piece)
        if self._seconds() >= GATHER_SECONDS:
            heard += self.pending()
        return heard

    def _short_in_turn(self, piece: Piece) -> list[Heard]:
        """A short segment while a window gathers: transcribed alone at once; if it may
        be a command, the window is transcribed too and both come now, in order (the
        command check then finds this segment's own encoding in `last`); if not, it
        is held with the window."""
        said = self._transcribe([piece])
        if not self.gathering or any(self.may_be_command(h.text) for h in said):
            own = self.last
            earlier = self.pending()
            self.last = own
            return earlier + said
        self._waiting.append(Held(piece, tuple(said)))
        return []

    def idle(self, stream_time: float) -> list[Heard]:
        """Time passes with no segment open: the gathered window is transcribed once
        the speaker has paused long enough, or the turn is over."""
        if self._waiting and (not self.gathering
                              or stream_time - self._waiting[-1].spoken_until >= GATHER_PAUSE):
            return self.pending()
        return []

    def pending(self) -> list[Heard]:
        """Transcribe what was gathered (the end of a stream or a turn), with what was
        held, in the order it was said."""
        waiting, self._waiting = self._waiting, []
        pieces = [p for p in waiting if isinstance(p, Piece)]
        held = [h for w in waiting if isinstance(w, Held) for h in w.said]
        heard = self._transcribe(pieces) if pieces else []
        return sorted(heard + held, key=lambda h: h.start) if held else heard

    def _seconds(self) -> float:
        return sum(len(p.samples) for p in self._waiting if isinstance(p, Piece)) / RATE

    def _transcribe(self, pieces: list[Piece]) -> list[Heard]:
        """One window per WHISPER_LIMIT of audio; a Heard for each piece that said
        something. Whisper's word times come from its attention, which gives the
        first word the quiet before it and the last the quiet after it: they are kept
        within where the detector heard each piece's speech (a little wider: it hears
        a word's edges late)."""
        heard: list[Heard] = []
        window: list[Piece] = []
        for piece in [cut for p in pieces for cut in _fitting(p)]:
            if window and sum(len(p.samples) for p in window) + len(piece.samples) > \
                    WHISPER_LIMIT * RATE:
                heard += self._window(window)
                window = []
            window.append(piece)
        return heard + (self._window(window) if window else [])

    def _window(self, pieces: list[Piece]) -> list[Heard]:
        samples = np.concatenate([p.samples for p in pieces])
        seconds = len(samples) / RATE
        encoded = self.model.encode(samples)
        self.windows += 1
        context = self.context if seconds <= SHORT_SECONDS else ""
        decoded = self.model.decode(encoded, seconds, context=context)
        if self.silence.holds(decoded):
            self.dropped += 1
            return []
        self.last = Transcribed(samples, encoded, decoded)
        offsets = np.cumsum([0] + [len(p.samples) for p in pieces]) / RATE
        said: list[list[Word]] = [[] for _ in pieces]
        heard_until = offsets[-1] if pieces[-1].speech is None else \
            min(offsets[-1], offsets[-2] + pieces[-1].speech[1] - pieces[-1].start + EDGE)
        for w in self.model.words(encoded, decoded.tokens, heard_until):
            k = min(int(np.searchsorted(offsets, w.start, side="right")) - 1, len(pieces) - 1)
            first, last = pieces[k].heard()
            shift = pieces[k].start - offsets[k]  # window time to stream time
            said[k].append(Word(w.text, min(max(w.start + shift, first), last),
                                min(max(w.end + shift, first), last), w.probability))
        if len(pieces) == 1 and not said[0]:  # nothing the alignment could place
            return [Heard(decoded.text, pieces[0].start, pieces[0].end, 0.0, ())]
        return [Heard(" ".join(w.text for w in words), words[0].start, words[-1].end,
                      float(np.mean([w.conf for w in words])), tuple(words))
                for words in said if words]


def _fitting(piece: Piece) -> list[Piece]:
    """A piece cut to the window (only if the segmenter's cap failed)."""
    limit = int(WHISPER_LIMIT * RATE)
    if len(piece.samples) <= limit:
        return [piece]
    return [Piece(piece.samples[at:at + limit], piece.start + at / RATE, piece.speech)
            for at in range(0, len(piece.samples), limit)]


def ends_in_a_command(phrases: PhraseSet) -> Callable[[str], bool]:
    """Whether a transcript may carry a command: it is, or ends in, some command's
    phrase (the command rule needs one or the other; commands.py)."""

    def may_be(text: str) -> bool:
        words = text.split()
        return any(phrases.command_for(" ".join(words[k:])) is not None
                   for k in range(len(words)))

    return may_be


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
        self.last_scores = self.scores(encoded, seconds, candidate.command)
        return self.decide(self.last_scores)

    def scores(self, encoded: Any, seconds: float, command: CommandName) -> dict[str, float]:
        """Every way of saying the candidate's command, scored, and every other
        command's grammar phrase that could come within `min_margin` of the best of
        them. A phrase's mean log-probability is at most its first token's divided by
        its length, so one decoder step tells which rivals cannot: they are not scored
        (15-18 ms each; measured, 11 phrases took 0.19 s of a command's 0.7 s)."""
        own = list(dict.fromkeys(self.phrases.say.get(command, ()) +
                                 self.phrases.also.get(command, ())))
        found = dict(zip(own, self.model.phrase_scores(
            encoded, (self._forms[p] for p in own), seconds), strict=True))
        bar = max(found.values(), default=-np.inf) - self.min_margin
        first = self.model.first_token_logprobs(encoded)
        rivals = [p for p in self.phrases.grammar_phrases()
                  if p not in found and first[self._forms[p][0]] / len(self._forms[p]) > bar]
        found.update(zip(rivals, self.model.phrase_scores(
            encoded, (self._forms[p] for p in rivals), seconds), strict=True))
        return found

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
