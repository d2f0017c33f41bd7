"""Cepstral and pitch features of speech, in numpy alone.

Mel-frequency cepstra describe the shape of the vocal tract, which differs between
two people more than between two sentences of one person; the pitch of voiced
frames separates most pairs of voices on its own, and cepstra learned from a few
seconds miss it (measured: docs/speakers.md). numpy is already a dependency, so the
classical method costs no new package. c0 (loudness) is left out on purpose: a
raised voice must not look like another person.

One row per 10 ms frame: CEPSTRA cepstra, then log pitch (Hz), then periodicity
(0..1: how voiced the frame is; the pitch means something only when it is high).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

RATE = 16_000
WIN = 400  # 25 ms analysis window
HOP = 160  # 10 ms between frames
NFFT = 512
MELS = 32
CEPSTRA = 19  # c1..c19
LOW_HZ, HIGH_HZ = 80.0, 7600.0
PITCH_WIN = 640  # 40 ms: two periods of a low voice
PITCH_NFFT = 1024  # exact for lags up to 1024 - 640 = 384 samples (F0_MIN needs 266)
F0_MIN, F0_MAX = 60.0, 400.0
LOG_F0, PERIODICITY = CEPSTRA, CEPSTRA + 1  # their columns


@lru_cache(maxsize=1)
def _filters() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The window, the mel filter bank and the DCT matrix (built once)."""

    def mel(hz: np.ndarray) -> np.ndarray:
        return 2595.0 * np.log10(1.0 + hz / 700.0)

    def hz(m: np.ndarray) -> np.ndarray:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)

    edges = hz(np.linspace(mel(np.array(LOW_HZ)), mel(np.array(HIGH_HZ)), MELS + 2))
    bins = np.fft.rfftfreq(NFFT, 1.0 / RATE)
    bank = np.zeros((MELS, len(bins)), dtype=np.float32)
    for m in range(MELS):
        lo, mid, hi = edges[m], edges[m + 1], edges[m + 2]
        rise = (bins - lo) / (mid - lo)
        fall = (hi - bins) / (hi - mid)
        bank[m] = np.clip(np.minimum(rise, fall), 0.0, None)
    k = np.arange(MELS)
    dct = np.cos(np.pi / MELS * (k[None, :] + 0.5) * np.arange(1, CEPSTRA + 1)[:, None])
    dct *= np.sqrt(2.0 / MELS)
    return np.hamming(WIN).astype(np.float32), bank.T.copy(), dct.T.astype(np.float32)


@lru_cache(maxsize=1)
def _pitch_window() -> tuple[np.ndarray, np.ndarray]:
    """The pitch window and its own autocorrelation (divided out: no lag bias)."""
    window = np.hanning(PITCH_WIN)
    own = np.fft.irfft(np.abs(np.fft.rfft(window, PITCH_NFFT)) ** 2, PITCH_NFFT)[:PITCH_WIN]
    return window, own / own[0]


def frame_count(samples: int) -> int:
    return 0 if samples < WIN else 1 + (samples - WIN) // HOP


def voice_features(samples: np.ndarray) -> np.ndarray:
    """(frames, CEPSTRA + 2): cepstra, log pitch and periodicity of 16 kHz mono audio
    (int16); no rows if shorter than one window."""
    count = frame_count(len(samples))
    if count == 0:
        return np.zeros((0, CEPSTRA + 2))
    x = samples.astype(np.float64) / 32768.0
    return np.hstack([mfcc(x, count), pitch(x, count)])


def _frames(x: np.ndarray, count: int, width: int) -> np.ndarray:
    return np.lib.stride_tricks.as_strided(
        x, shape=(count, width), strides=(HOP * x.strides[0], x.strides[0]), writeable=False
    )


def mfcc(x: np.ndarray, count: int) -> np.ndarray:
    """(count, CEPSTRA) cepstra of float audio."""
    emphasised = np.append(x[0], x[1:] - 0.97 * x[:-1])  # even out the spectral tilt
    window, bank, dct = _filters()
    power = np.abs(np.fft.rfft(_frames(emphasised, count, WIN) * window, NFFT)) ** 2
    return np.log(np.maximum(power @ bank, 1e-10)) @ dct


def pitch(x: np.ndarray, count: int) -> np.ndarray:
    """(count, 2): log pitch and periodicity per frame, centred on the cepstra's frames,
    from the normalised autocorrelation's highest peak between F0_MIN and F0_MAX."""
    pad = (PITCH_WIN - WIN) // 2
    frames = _frames(np.pad(x, pad), count, PITCH_WIN)
    window, own = _pitch_window()
    frames = (frames - frames.mean(axis=1, keepdims=True)) * window
    ac = np.fft.irfft(np.abs(np.fft.rfft(frames, PITCH_NFFT)) ** 2, PITCH_NFFT)[:, :PITCH_WIN]
    ac = ac / (ac[:, :1] + 1e-12) / own
    lo, hi = int(RATE / F0_MAX), int(RATE / F0_MIN)
    lag = ac[:, lo:hi].argmax(axis=1)
    strength = ac[np.arange(count), lo + lag]
    return np.column_stack([np.log(RATE / (lo + lag)), np.clip(strength, 0.0, 1.0)])
