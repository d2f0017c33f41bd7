"""Short, soft tones that mark a moment without words: a turn begins, a minute is left,
a pause, the end. Pure numpy; the speech worker plays them like a prompt, so the gate
knows they are the assistant's own sound.
"""

from __future__ import annotations

import numpy as np

# note frequencies (hertz) per chime kind, each note NOTE_SECONDS long
CHIMES: dict[str, tuple[float, ...]] = {
    "turn": (660.0, 880.0),
    "warning": (880.0,),
    "pause": (660.0, 440.0),
    "end": (440.0, 660.0, 880.0),
}
NOTE_SECONDS = 0.14
LEVEL = 0.2  # of full scale: clearly audible, never startling


def chime_samples(kind: str, rate: int = 16_000) -> np.ndarray:
    """The chime as int16 samples; an unknown kind is the turn chime."""
    notes = CHIMES.get(kind, CHIMES["turn"])
    n = int(NOTE_SECONDS * rate)
    t = np.arange(n) / rate
    envelope = np.sin(np.pi * np.arange(n) / n) ** 2  # soft attack and release, no clicks
    tones = [np.sin(2 * np.pi * f * t) * envelope for f in notes]
    return (np.concatenate(tones) * LEVEL * 32767).astype(np.int16)
