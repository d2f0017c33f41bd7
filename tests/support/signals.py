"""Signal helpers for the audio tests (alignment, correlation, energy)."""

from __future__ import annotations

import threading
import time

import numpy as np

from assistant.audio.capture import AudioSource, MicrophoneCapture
from assistant.audio.frames import AudioChunk


def collect(source: AudioSource, seconds: float) -> list[AudioChunk]:
    """Read chunks from a started source for `seconds` of wall time."""
    chunks = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        chunk = source.read(0.1)
        if chunk is not None:
            chunks.append(chunk)
    return chunks


def best_lag(reference: np.ndarray, recorded: np.ndarray) -> int:
    """Offset of `reference` inside `recorded` that maximises their cross-correlation."""
    a = reference.astype(np.float64)
    b = recorded.astype(np.float64)
    n = 1 << int(np.ceil(np.log2(len(a) + len(b))))
    spectrum = np.fft.rfft(b, n) * np.conj(np.fft.rfft(a, n))
    corr = np.fft.irfft(spectrum, n)[: len(b) - len(a) + 1]
    return int(np.argmax(corr))


def normalised_correlation(a: np.ndarray, b: np.ndarray) -> float:
    x = a.astype(np.float64) - a.mean()
    y = b.astype(np.float64) - b.mean()
    return float(np.dot(x, y) / (np.linalg.norm(x) * np.linalg.norm(y) + 1e-12))


def rms_dbfs(samples: np.ndarray) -> float:
    if len(samples) == 0:
        return -120.0
    rms = np.sqrt(np.mean(samples.astype(np.float64) ** 2))
    return float(20 * np.log10(max(rms, 1e-6) / 32768.0))


class Recorder:
    """Reads a capture on a thread (as the session does) while the block runs."""

    def __init__(self, capture: MicrophoneCapture) -> None:
        self.capture = capture
        self.chunks: list[AudioChunk] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Recorder:
        self.capture.start()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self.capture.stop()

    def _run(self) -> None:
        while not self._stop.is_set():
            chunk = self.capture.read(0.1)
            if chunk is not None:
                self.chunks.append(chunk)

    def level(self, start: float, end: float) -> float:
        """dBFS of what was captured between two monotonic times."""
        parts = [c.samples for c in self.chunks if c.captured_at and start <= c.captured_at < end]
        return rms_dbfs(np.concatenate(parts)) if parts else -120.0
