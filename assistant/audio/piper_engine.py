"""The warm voice as a speech engine: a Piper voice, sentence by sentence.

A prompt is cut into pieces (`speech_text.pieces`: sentences, a long first one at its
first clause), each turned into phonemes by the espeak-ng program (`phonemes.py`) and
rendered by the voice (`piper.py`) on a helper thread one piece ahead of playback, so
the first words play while the rest renders (first audio within 300 ms, docs/audio.md).
Each piece is trimmed, brought to the common loudness, and followed by the pause its
punctuation asks for. The voice's files are checked by SHA-256 before they load.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from assistant.audio.loudness import even
from assistant.audio.speech_engine import Piece, ahead, trim_silence
from assistant.audio.speech_text import pieces
from assistant.audio.speech_voices import NeuralVoice, pinned, require_installed

if TYPE_CHECKING:
    from assistant.audio.phonemes import EspeakPhonemes
    from assistant.audio.piper import PiperVoice

WARM_UP = "Hello, you two."  # rendered once at start, never played
SENTENCE_PAUSE = 0.3  # seconds of quiet after a sentence that another follows
CLAUSE_PAUSE = 0.12  # ...after a first clause rendered on its own (none after a cut
# between two words of a clause)


class PiperEngine:
    """One neural voice, loaded once per check-in (one onnxruntime session, one thread)."""

    def __init__(self, voice: NeuralVoice, words_per_minute: int | None = None,
                 threads: int = 1) -> None:
        self.voice = voice
        self.threads = threads
        # --rate: the voice's own pace over the one asked for stretches every phoneme
        self.length_scale = voice.words_per_minute / words_per_minute if words_per_minute \
            else 1.0
        self.name = f"{voice.name} (Piper neural voice)"
        self._phonemes: EspeakPhonemes | None = None
        self._piper: PiperVoice | None = None

    def start(self) -> None:
        """Check the files, find espeak-ng, load the voice (ConfigError subclasses say why)."""
        from assistant.asr.whisper_model import verify_files
        from assistant.audio.phonemes import EspeakPhonemes
        from assistant.audio.piper import PiperVoice, VoiceConfig, VoiceUnreadable
        from assistant.errors import ModelError

        folder = require_installed(self.voice)
        model, config = (folder / f for f in self.voice.files)
        self._phonemes = EspeakPhonemes(VoiceConfig.read(config).espeak_voice)
        try:
            verify_files(folder, pinned(self.voice, folder))
        except ModelError as err:
            raise VoiceUnreadable(str(err)) from None
        self._piper = PiperVoice(model, config, self.threads)
        # onnxruntime's first run sets up its buffers (measured: the first prompt's first
        # piece then took 0.7 s instead of 0.3 s); the welcome should not pay for it
        self._piper.render(self._phonemes.phonemes(WARM_UP), self.length_scale)

    def probe(self) -> str | None:
        return None  # its sound is made here, never by another program's playback

    def render(self, text: str) -> Iterator[Piece]:
        """The pieces of `text`, each rendered while the one before it plays."""
        return ahead(self._pieces(text))

    def _pieces(self, text: str) -> Iterator[Piece]:
        assert self._piper is not None and self._phonemes is not None, "start() first"
        parts = pieces(text)
        rate = self._piper.sample_rate
        for i, part in enumerate(parts):
            sound = self._piper.render(self._phonemes.phonemes(part), self.length_scale)
            sound = trim_silence(sound, rate)
            if not len(sound):
                continue
            sound = even(sound, rate)
            if i + 1 < len(parts):
                pause = _pause(part) * self.length_scale  # a faster voice pauses less too
                sound = np.concatenate([sound, np.zeros(int(pause * rate), np.int16)])
            yield sound, rate

    def speak_live(self, text: str) -> None:
        raise NotImplementedError("the neural voice is always played on checkin's own line")

    def close(self) -> None:
        pass


def _pause(piece: str) -> float:
    """The quiet after a piece that another follows: by its own last mark."""
    last = piece.rstrip().rstrip("\"'”’»)")[-1:]
    if last in ".!?…":
        return SENTENCE_PAUSE
    return CLAUSE_PAUSE if last in ",;:" else 0.0
