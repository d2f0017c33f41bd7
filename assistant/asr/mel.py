"""Whisper's input: an 80-band log-mel spectrogram of one 30-second window (numpy only).

Whisper was trained on windows of exactly 30 s (3000 frames of 10 ms); a shorter
input makes it repeat itself (measured: "Side, right, right, right, ..." on a 1 s
clip given 150 frames), so every stretch of speech is padded with digital silence to
the full window. The filter bank is the Slaney-style mel scale with area
normalisation that Whisper's features use; the values agree with faster-whisper's
extractor to 1e-7 (tests/asr/test_whisper_parts.py).
"""

from __future__ import annotations

import functools

import numpy as np

from assistant.audio.frames import RATE

N_FFT = 400  # 25 ms analysis window
HOP = 160  # 10 ms between frames
N_MELS = 80
WINDOW_SECONDS = 30
FRAMES = WINDOW_SECONDS * RATE // HOP  # 3000 frames per window
SECONDS_PER_FRAME = HOP / RATE


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    """Slaney's mel scale: linear below 1 kHz, logarithmic above."""
    step = np.log(6.4) / 27.0
    return np.where(hz >= 1000.0, 15.0 + np.log(np.maximum(hz, 1e-10) / 1000.0) / step,
                    3.0 * hz / 200.0)


def _mel_to_hz(mel: np.ndarray) -> np.ndarray:
    step = np.log(6.4) / 27.0
    return np.where(mel >= 15.0, 1000.0 * np.exp(step * (mel - 15.0)), 200.0 * mel / 3.0)


@functools.lru_cache(maxsize=1)
def mel_filters() -> np.ndarray:
    """(N_MELS, N_FFT // 2 + 1) triangular filters, each scaled to unit area."""
    bins = np.linspace(0.0, RATE / 2, N_FFT // 2 + 1)
    edges = _mel_to_hz(np.linspace(_hz_to_mel(np.array(0.0)), _hz_to_mel(np.array(RATE / 2)),
                                   N_MELS + 2))
    bank = np.zeros((N_MELS, len(bins)))
    for i in range(N_MELS):
        low, mid, high = edges[i], edges[i + 1], edges[i + 2]
        rising = (bins - low) / (mid - low)
        falling = (high - bins) / (high - mid)
        bank[i] = np.maximum(0.0, np.minimum(rising, falling)) * (2.0 / (high - low))
    return bank.astype(np.float32)


@functools.lru_cache(maxsize=1)
def _hann() -> np.ndarray:
    return (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)


def log_mel(samples: np.ndarray) -> np.ndarray:
    """The (N_MELS, FRAMES) features of up to 30 s of 16 kHz audio (int16 or float),
    padded with silence to the whole window, as float32 C-ordered for CTranslate2.

    The frames after the audio hear only the padding's digital silence, whose value is
    known, so only the frames that reach the audio are computed (a command's stretch
    is a tenth of the window: measured, 40 ms of CPU a window saved).
    """
    audio = np.asarray(samples, dtype=np.float32)
    if samples.dtype == np.int16:
        audio = audio / 32768.0
    window = np.zeros(WINDOW_SECONDS * RATE, dtype=np.float32)
    used = min(len(audio), len(window))
    window[:used] = audio[:used]
    # frame k sees samples k*HOP - N_FFT/2 ... k*HOP + N_FFT/2 of the window
    heard = min(FRAMES, (used + N_FFT // 2) // HOP + 1)
    reach = heard * HOP + N_FFT // 2
    if reach >= len(window):  # the audio fills the window: the end is reflected too
        padded = np.pad(window, (N_FFT // 2, N_FFT // 2), mode="reflect")
    else:
        padded = np.concatenate([window[N_FFT // 2:0:-1], window[:reach]])
    starts = HOP * np.arange(heard)[:, None] + np.arange(N_FFT)[None, :]
    spectrum = np.fft.rfft(padded[starts] * _hann(), axis=1)
    power = (spectrum.real ** 2 + spectrum.imag ** 2).astype(np.float32)
    logs = np.full((N_MELS, FRAMES), -10.0, dtype=np.float32)  # log10 of the floor
    logs[:, :heard] = np.log10(np.maximum(mel_filters() @ power.T, 1e-10))
    logs = np.maximum(logs, logs.max() - 8.0)
    return np.ascontiguousarray((logs + 4.0) / 4.0, dtype=np.float32)
