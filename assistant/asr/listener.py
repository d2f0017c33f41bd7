"""From microphone chunks to flow events: the recognition half of the pipeline.

    chunk ─► SpeechSegmenter (VAD, pre-roll, hangover) ─► recognizer ─► Heard
    Heard ─► EchoGuard (drop the assistant's own words)
          ─► CommandFilter.candidate ─► the second check on the same audio ─► confirm
          ─► Command | Utterance (+ Command when a phrase closes an utterance)

The engine (engine.py) supplies the recognizer and the second check: Vosk streams
segment audio and checks a command with its grammar; Whisper transcribes a segment
when it closes and checks a command by scoring the command phrases on that audio.
The second check only runs on the few utterances whose free-form text already is a
command phrase, so commands cost little beyond free-form recognition.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any, Protocol

import numpy as np

from assistant.asr.commands import Candidate, CommandFilter
from assistant.asr.echo import EchoGuard
from assistant.asr.engine import VOSK, WHISPER_LIMIT, Engine, Tuning, engine_of, tuning_for
from assistant.asr.results import Caption, Heard
from assistant.asr.segmenter import SpeechSegmenter
from assistant.audio.activity import VoiceActivity
from assistant.audio.frames import RATE, AudioChunk
from assistant.flow.events import Command, Event, Partial, Utterance


class SegmentRecognizer(Protocol):
    """An engine's free-form recognizer, fed one segment of speech at a time."""

    def begin(self, stream_time: float) -> None:
        """A segment starts; its first sample is at `stream_time` on the stream clock."""

    def accept(self, samples: np.ndarray, now: float) -> list[Heard | Caption]:
        """More of the segment: what can be said of it already (may be nothing)."""

    def finish(self, speech: tuple[float, float] | None = None) -> list[Heard]:
        """The segment ended: the rest of what it said (may be nothing yet). `speech`:
        where the detector heard speech begin and end in it (stream seconds)."""

    def drop(self) -> None:
        """The segment ended as a blip: forget it, transcribe nothing."""

    def idle(self, stream_time: float) -> list[Heard]:
        """No segment is open at `stream_time`: what is now due (may be nothing)."""

    def pending(self) -> list[Heard]:
        """The end of the stream: everything still held."""

    def gather(self, on: bool) -> None:
        """A partner's turn began (True) or ended."""

    @property
    def holding(self) -> bool:
        """Closed segments wait to be transcribed."""


class CommandCheck(Protocol):
    """An engine's second, independent check of a command candidate."""

    def phrase_heard(self, samples: np.ndarray, candidate: Candidate) -> str:
        """The command phrase this check hears in `samples`, the audio of `candidate`
        ('' for none)."""


class SpeechTranscriber:
    """Free-form recognition fed only around speech; keeps recent audio for confirmations."""

    def __init__(
        self,
        model: Any,
        vad: VoiceActivity,
        tuning: Tuning = VOSK,
        keep_audio: float = 6.0,
        batch_seconds: float = 0.5,
        recognizer: SegmentRecognizer | None = None,
        live: bool = False,
    ) -> None:
        self.segmenter = SpeechSegmenter(
            vad, tuning.pre_roll, tuning.hangover, tuning.quick_hangover, tuning.quick_max,
            tuning.min_voiced, tuning.max_segment,
            WHISPER_LIMIT if tuning.max_segment is not None else None, live)
        if recognizer is None:
            from assistant.asr.recognizer import FreeFormRecognizer

            recognizer = FreeFormRecognizer(model)
        self.recognizer: SegmentRecognizer = recognizer
        self.keep_audio = max(keep_audio, tuning.max_segment or 0.0)
        self.batch_seconds = batch_seconds
        self._recent: deque[AudioChunk] = deque()
        self._recent_seconds = 0.0
        self._unfed: list[np.ndarray] = []  # segment audio waiting for the recognizer
        self._unfed_samples = 0
        self.fed_seconds = 0.0  # audio actually given to the recognizer (for measurements)
        self.blips = 0  # segments closed with too little speech to be words

    def _keep(self, chunk: AudioChunk) -> None:
        self._recent.append(chunk)
        self._recent_seconds += chunk.seconds
        while self._recent and self._recent_seconds - self._recent[0].seconds >= self.keep_audio:
            self._recent_seconds -= self._recent.popleft().seconds

    def feed(self, chunk: AudioChunk) -> list[Heard | Caption]:
        """Segment audio goes to Vosk in `batch_seconds` pieces while someone speaks
        (fewer calls, and Vosk and the detector take turns on the core less often:
        measured 3-6 % less CPU than 20 ms pieces), and at once as soon as a chunk is
        quiet, so a segment that closes has nothing left to decode and a command's
        latency is unchanged."""
        update = self.segmenter.push(chunk)
        out: list[Heard | Caption] = []
        if update.started:
            self._recent.clear()
            self._recent_seconds = 0.0
            self.recognizer.begin(update.feed[0].start)
        for fed in update.feed:
            self._keep(fed)
            self._unfed.append(fed.samples)
            self._unfed_samples += len(fed.samples)
        if update.ended and update.blip:
            self._drop()
            return out
        if update.ended or not update.speech or self._unfed_samples >= self.batch_seconds * RATE:
            out.extend(self._send(chunk.end))
        if update.ended:
            out.extend(self.recognizer.finish(self._speech()))
        elif not self.segmenter.in_segment:
            out.extend(self.recognizer.idle(chunk.end))
        return out

    def _speech(self) -> tuple[float, float]:
        return self.segmenter.speech_start, self.segmenter.speech_end

    def flush(self) -> list[Heard]:
        """End of stream: finish an open segment."""
        update = self.segmenter.flush()
        if not update.ended:
            return self.recognizer.pending()
        if update.blip:
            self._drop()
            return self.recognizer.pending()
        now = self._recent[-1].end if self._recent else 0.0
        heard = [h for h in self._send(now) if isinstance(h, Heard)]
        return heard + self.recognizer.finish(self._speech()) + self.recognizer.pending()

    def _drop(self) -> None:
        self._unfed, self._unfed_samples = [], 0
        self.recognizer.drop()
        self.blips += 1

    def _send(self, now: float) -> list[Heard | Caption]:
        """Give the recognizer the segment audio waiting for it."""
        if not self._unfed:
            return []
        samples = np.concatenate(self._unfed)
        self._unfed, self._unfed_samples = [], 0
        self.fed_seconds += len(samples) / RATE
        return self.recognizer.accept(samples, now)

    def audio_between(self, start: float, end: float) -> np.ndarray:
        """Recent fed audio between two stream times (what the second check re-hears)."""
        parts = [c.samples for c in self._recent if c.end > start and c.start < end]
        if not parts:
            return np.zeros(0, dtype=np.int16)
        first = next(c for c in self._recent if c.end > start)
        data = np.concatenate(parts)
        lo = max(0, int(round((start - first.start) * RATE)))
        hi = max(lo, int(round((end - first.start) * RATE)))
        return data[lo:hi]


class Listener:
    """Chunks in, flow events out (Utterance, Partial, Command)."""

    def __init__(
        self,
        transcriber: SpeechTranscriber,
        commands: CommandFilter | None = None,
        check: CommandCheck | None = None,
        echo: EchoGuard | None = None,
        margin: float = 0.15,
    ) -> None:
        self.transcriber = transcriber
        self.commands = commands
        self.check = check
        self.echo = echo or EchoGuard()
        self.margin = margin
        self._last_end = -math.inf
        self.dropped_echoes = 0
        # Every utterance with its words, for `checkin transcribe` and the tests that
        # compare with the bare engine (None: not kept, as in a check-in).
        self.heard: list[Heard] | None = None

    @property
    def mid_utterance(self) -> bool:
        """True while an utterance is open or held: its words (and captions) are still
        coming."""
        return self.transcriber.segmenter.in_segment or self.transcriber.recognizer.holding

    def in_turn(self, on: bool) -> None:
        """Whether a partner holds the floor (an engine may then gather longer)."""
        self.transcriber.recognizer.gather(on)

    def feed(self, chunk: AudioChunk, now: float | None = None) -> list[Event]:
        """One chunk; `now` is the session's clock for the events it brings (default:
        the chunk's end, for a recording heard with no session)."""
        items = self.transcriber.feed(chunk)
        return self._events(items, chunk.end if now is None else now, chunk.end)

    def flush(self, audio_end: float, now: float | None = None) -> list[Event]:
        """End of stream at `audio_end`: the utterance still open, if any."""
        items: list[Heard | Caption] = list(self.transcriber.flush())
        return self._events(items, audio_end if now is None else now, audio_end)

    def _events(self, items: list[Heard | Caption], now: float,
                audio_time: float) -> list[Event]:
        events: list[Event] = []
        for item in items:
            if isinstance(item, Caption):
                events.append(Partial(now, item.text))
            else:
                events.extend(self._heard(item, now, audio_time))
        return events

    def _heard(self, heard: Heard, now: float, audio_time: float) -> list[Event]:
        if self.heard is not None:
            self.heard.append(heard)
        gap, self._last_end = heard.start - self._last_end, heard.end
        if self.echo.is_echo(heard.text, audio_time):  # the echo guard works in audio time
            self.dropped_echoes += 1
            return []
        utterance = Utterance(now, heard.text, heard.start, heard.end, heard.confidence)
        if self.commands is None or self.check is None:
            return [utterance]
        candidate = self.commands.candidate(heard, gap)
        if candidate is None:
            return [utterance]
        audio = self.transcriber.audio_between(
            candidate.start - self.margin, candidate.end + self.margin
        )
        heard_again = self.check.phrase_heard(audio, candidate)
        if not self.commands.confirm(candidate, heard_again):
            return [utterance]
        command = Command(now, candidate.command, spoken=True)
        if not candidate.content:
            return [command]
        content_end = max((w.end for w in heard.words if w.end <= candidate.start), default=None)
        rest = Utterance(now, candidate.content, heard.start, content_end, heard.confidence)
        return [rest, command]


def open_listener(
    model_path: Any,
    vad: VoiceActivity,
    language: str | None = None,
    phrases_file: Any = None,
    model: Any = None,
    commands: bool = True,
    live: bool = False,
) -> Listener:
    """Load (or reuse) a model and wire the full command-aware listener for its
    engine and language (`language`: when the model does not tell its own;
    `commands=False`: plain transcripts, no command path; `live`: a microphone, which
    may open in the middle of a sound)."""
    from pathlib import Path

    from assistant.asr.engine import load_model
    from assistant.asr.models import model_language
    from assistant.phrases import load_phrases

    path = Path(model_path)
    engine = engine_of(path)
    model = model if model is not None else load_model(path)
    phrases = load_phrases(model_language(path) or language or "en", phrases_file) \
        if commands else None
    if engine == Engine.WHISPER:
        return _whisper_listener(model, vad, phrases, live)
    return _vosk_listener(path, model, vad, phrases, live)


def _whisper_listener(model: Any, vad: VoiceActivity, phrases: Any, live: bool) -> Listener:
    """Short segments decoded with the command phrases as context; commands checked by
    scoring the phrases on the audio (whisper_listen.py)."""
    from assistant.asr.whisper_listen import (
        WhisperCheck,
        WhisperRecognizer,
        command_context,
        ends_in_a_command,
    )

    tuning = tuning_for(Engine.WHISPER)
    if phrases is None:
        recognizer = WhisperRecognizer(model)
    else:
        recognizer = WhisperRecognizer(model, context=command_context(phrases),
                                       may_be_command=ends_in_a_command(phrases))
    transcriber = SpeechTranscriber(model, vad, tuning, recognizer=recognizer, live=live)
    if phrases is None:
        return Listener(transcriber)
    check = WhisperCheck(model, recognizer, phrases)
    return Listener(transcriber, CommandFilter(phrases), check, margin=tuning.margin)


def _vosk_listener(path: Any, model: Any, vad: VoiceActivity, phrases: Any,
                   live: bool) -> Listener:
    """Phrases with words the model does not know are left out of the grammar (Vosk
    would drop them with a warning); a model without a lookahead graph gets no
    command path."""
    from assistant.asr.recognizer import GrammarRecognizer
    from assistant.asr.vocabulary import (
        model_words,
        phrase_words,
        supports_grammar,
        unknown_token,
        usable,
    )

    transcriber = SpeechTranscriber(model, vad, VOSK, live=live)
    if phrases is None or not supports_grammar(path):
        return Listener(transcriber)
    words = model_words(path, phrase_words(phrases.grammar_phrases()))
    kept = {p for p in phrases.grammar_phrases() if usable(p, words)}
    phrases = phrases.restricted_to(kept)
    grammar = GrammarRecognizer(model, phrases.grammar_phrases(), unknown_token(words))
    return Listener(transcriber, CommandFilter(phrases), grammar, margin=VOSK.margin)
