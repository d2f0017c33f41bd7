"""Partners for tests: speech synthesized with espeak-ng, and what was really played.

Used by the session tests (replayed and in the virtual room). espeak-ng writes exact
digital silence between words, so the speech a clip contains can be measured from
the samples themselves, independently of any voice-activity detector.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from assistant.audio.frames import RATE, read_wav


def espeak_missing() -> str | None:
    return None if shutil.which("espeak-ng") else "espeak-ng is not installed"


def speak(text: str, voice: str = "ko", speed: int = 130, amplitude: int = 60,
          gain_db: float = 0.0) -> np.ndarray:
    """Text spoken by espeak-ng as 16 kHz mono int16, optionally made louder."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "say.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-a", str(amplitude),
                        "-w", str(path), text], check=True, capture_output=True)
        samples = read_wav(path)
    if gain_db:
        scaled = samples.astype(np.float64) * 10 ** (gain_db / 20)
        if np.abs(scaled).max() > 32767:
            raise ValueError(f"{gain_db} dB louder would clip: lower the amplitude")
        samples = scaled.astype(np.int16)
    return samples


def room_noise(seconds: float, seed: int = 0, level: float = 10.0) -> np.ndarray:
    """A quiet room (about -70 dBFS): digital zeros are not what a microphone hears."""
    rng = np.random.default_rng(seed)
    return rng.normal(0, level, int(round(seconds * RATE))).astype(np.int16)


def speech_seconds(samples: np.ndarray, bridge: float = 0.15) -> float:
    """Seconds of speech in a synthesized clip: 10 ms frames with sound, short gaps bridged."""
    frame = RATE // 100
    frames = len(samples) // frame
    loud = np.abs(samples[: frames * frame].reshape(frames, frame)).max(axis=1) > 200
    total, gap, seen = 0, 0, False
    limit = int(round(bridge * 100))
    for is_loud in loud:
        if is_loud:
            total += 1 + (gap if seen and gap <= limit else 0)
            gap, seen = 0, True
        else:
            gap += 1
    return total / 100
