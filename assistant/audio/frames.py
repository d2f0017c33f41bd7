"""Audio as the rest of checkin sees it: 16 kHz mono int16 chunks with a timestamp.

Reading a WAV file of any rate or channel count at 16 kHz lives here once (on the one
reader, sound_files.py), so `transcribe`, `analyze`, the WAV capture source and the
tests all hear exactly the same samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.errors import CheckinError

RATE = 16_000  # hertz: what Vosk and the voice-activity detectors expect
SAMPLE_WIDTH = 2  # bytes (int16)


@dataclass(frozen=True)
class AudioChunk:
    """A block of mono int16 samples at `rate` hertz starting at `start` seconds."""

    samples: np.ndarray  # shape (n,), dtype int16
    start: float
    rate: int = RATE
    is_assistant: bool = False  # captured while the assistant was speaking (gated)
    # When the first sample was captured (monotonic, live capture only), as a range:
    # `captured_at` is the driver's estimate, `captured_by` the latest it can be (the
    # block's arrival minus its length). Drivers misjudge their own latency, most at
    # stream start, so the gate judges the whole range (see gate.py).
    captured_at: float | None = None
    captured_by: float | None = None

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate

    @property
    def end(self) -> float:
        return self.start + self.seconds


def to_mono_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    """Mix to mono and resample to 16 kHz; returns int16."""
    from assistant.audio.resample import resample

    data = samples.astype(np.float32)
    if data.ndim == 2:
        data = data.mean(axis=1)
    data = resample(data, rate, RATE)
    return np.clip(np.rint(data), -32768, 32767).astype(np.int16)


def read_wav(path: str | Path) -> np.ndarray:
    """A WAV (or AIFF) file as 16 kHz mono int16, whatever its rate, channels and sample
    format (read by assistant/audio/sound_files.py, the one reader)."""
    from assistant.audio.sound_files import UnreadableSound, decode_sound

    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CheckinError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise CheckinError(f"{path} is a folder; give a WAV file in it") from None
    except OSError as err:  # no permission, a device, a broken disk
        raise CheckinError(f"cannot read {path} ({(err.strerror or str(err)).lower()})") \
            from None
    try:
        mono, rate = decode_sound(data)
    except UnreadableSound as err:
        raise CheckinError(
            f"{path} is not a PCM WAV file ({err}); convert it with: sox {path} -b 16 out.wav"
        ) from None
    return to_mono_16k(mono, rate)


def chunks(samples: np.ndarray, seconds: float = 0.02, start: float = 0.0) -> list[AudioChunk]:
    """Split samples into consecutive chunks of `seconds` (the last may be shorter)."""
    size = max(1, int(round(seconds * RATE)))
    return [
        AudioChunk(samples[i : i + size], start + i / RATE) for i in range(0, len(samples), size)
    ]
