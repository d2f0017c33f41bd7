"""English partners for tests: phrases spoken by several synthetic voices.

A recognizer tuned on one voice learns that voice; every English test and measurement
speaks with several: espeak-ng (two accents), flite (three speakers) and festival's
HTS voice, all from Debian packages (scripts/setup.sh --test). Each clip is brought
to the same speech level, about what a laptop microphone gets from someone on the
sofa, so that voices differ in how they sound, not how loud they are.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from assistant.audio.frames import read_wav
from speechlab.wer import align_errors

# name -> (program, what it is told)
VOICES: dict[str, tuple[str, str]] = {
    "espeak-us": ("espeak-ng", "en-us+f3"),
    "espeak-gb": ("espeak-ng", "en-gb+m3"),
    "flite-slt": ("flite", "slt"),
    "flite-rms": ("flite", "rms"),
    "flite-awb": ("flite", "awb"),
    "festival-slt": ("festival", "voice_cmu_us_slt_arctic_hts"),
}
LEVEL_DBFS = -24.0  # the speech level every clip is brought to


def missing_voices() -> str | None:
    """Why the English voices cannot speak here (None when they all can)."""
    missing = sorted({program for program, _ in VOICES.values()
                      if shutil.which("text2wave" if program == "festival" else program)
                      is None})
    if missing:
        return (f"English test voices missing ({', '.join(missing)}): "
                "apt-get install espeak-ng flite festival festvox-us-slt-hts")
    return None


@functools.lru_cache(maxsize=512)
def _spoken(text: str, voice: str, speed: float) -> bytes:
    program, arg = VOICES[voice]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "say.wav"
        if program == "espeak-ng":
            cmd = ["espeak-ng", "-v", arg, "-s", str(round(160 * speed)), "-w", str(out), text]
            subprocess.run(cmd, check=True, capture_output=True)
        elif program == "flite":
            cmd = ["flite", "-voice", arg, "--setf", f"duration_stretch={1 / speed:.2f}",
                   "-t", text, "-o", str(out)]
            subprocess.run(cmd, check=True, capture_output=True)
        else:
            script = Path(folder) / "say.txt"
            script.write_text(text, encoding="utf-8")
            cmd = ["text2wave", "-eval", f"({arg})", "-eval",
                   f"(Parameter.set 'Duration_Stretch {1 / speed:.2f})", str(script), "-o",
                   str(out)]
            subprocess.run(cmd, check=True, capture_output=True)
        return read_wav(out).tobytes()


def say(text: str, voice: str, speed: float = 1.0, level_dbfs: float = LEVEL_DBFS) -> np.ndarray:
    """`text` spoken by one of VOICES as 16 kHz mono int16, its speech at `level_dbfs`
    (`speed` > 1 speaks faster)."""
    samples = np.frombuffer(_spoken(text, voice, speed), dtype=np.int16).astype(np.float64)
    frames = samples[: len(samples) // 160 * 160].reshape(-1, 160)
    power = (frames ** 2).mean(axis=1)
    voiced = power[power > power.max() * 1e-3] if power.max() > 0 else power
    rms = float(np.sqrt(voiced.mean())) if len(voiced) else 0.0
    if rms <= 0:
        return samples.astype(np.int16)
    gain = 32768 * 10 ** (level_dbfs / 20) / rms
    return np.clip(np.rint(samples * gain), -32768, 32767).astype(np.int16)


# A couple for the English check-ins (replayed and in the room): each partner's own
# voice, what they share, and the commands they say.
ANA = "festival-slt"
BEN = "espeak-gb"
ANA_STORY = ["this week felt long and I was tired most evenings",
             "I missed our walks after dinner",
             "when you listened on sunday I felt close to you",
             "I would like us to cook together again",
             "let us try ten minutes of talking each night"]
ANA_LOUD = "why do you never listen to me"
ANA_THANKS = "thank you for making coffee every morning"
BEN_STORY = ["work was busy but I am fine", "I missed you at lunch today"]


def sentences(voice: str, lines: list[str], gain_db: float = 0.0, pause: float = 0.6,
              seed: int = 0) -> np.ndarray:
    """Lines one after another in one voice, with `pause` seconds of a quiet room after
    each (`gain_db` louder than the usual level: a raised voice)."""
    from speechlab.voices import room_noise

    parts: list[np.ndarray] = []
    for i, line in enumerate(lines):
        parts += [say(line, voice, level_dbfs=LEVEL_DBFS + gain_db), room_noise(pause, seed + i)]
    return np.concatenate(parts)


_NUMBERS = {str(n): word for n, word in enumerate(
    ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"))}


def words_of(text: str) -> list[str]:
    """The words of a transcript, for comparing what was said: lower case, no
    punctuation, hyphenated words apart, digits as words ("10" is "ten")."""
    text = text.lower().replace("-", " ").replace("mr.", "mister")
    return [_NUMBERS.get(w, w) for w in re.sub(r"[^\w' ]", " ", text).split()]


def word_errors(reference: list[str], hypothesis: list[str]) -> int:
    """Substitutions, insertions and deletions between two word lists (wer.py's
    alignment, counted)."""
    return align_errors(reference, hypothesis).count
