"""Partners for tests: speech synthesized with espeak-ng, and what was really played.

Used by the session tests (replayed and in the virtual room) and the benchmarks.
espeak-ng writes exact digital silence between words, so the speech a clip contains
can be measured from the samples themselves, independently of any voice-activity
detector. Ana and Ben speak Korean: the one real Vosk model reachable here is Korean.
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


def silence(seconds: float) -> np.ndarray:
    """Digital zeros (what a file has, never a microphone: see room_noise)."""
    return np.zeros(int(seconds * RATE), dtype=np.int16)


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


ANA = "ko+f2"  # the two partners' voices
BEN = "ko+m3"
ANA_STORY = ["오늘 하루는 정말 길었어요", "회사에서 일이 많아서 조금 지쳤어요",
             "그래도 당신 생각을 하면서 힘을 냈어요", "저녁에는 같이 산책하고 싶어요",
             "요즘 우리가 대화를 많이 못 해서 아쉬워요"]
ANA_LOUD = "왜 항상 내 말을 안 들어요"
ANA_THANKS = "당신이 있어서 행복해요"
BEN_STORY = ["나는 오늘 괜찮았어요", "점심에 당신이 보고 싶었어요"]
# Spoken yes: of the Korean command words, only "네" and "알았어" come through espeak-ng
# and this small model (through the shipped path, with the room's 48 kHz round trip
# simulated: "네" 18 of 18 in Ana's voice, 0 of 18 in Ben's; "알았어" 17 of 18 in Ana's,
# 18 of 18 in Ben's; every other command word came back as plain speech, never as
# another command). In the room itself Ana's "네" failed 4 of 10 tries over four
# check-ins (heard as "리 에", "다", "네여"), while "알았어" went through: so both say that.
YES_ANA = "알았어"
YES_BEN = "알았어"


def sentences(voice: str, lines: list[str], gain_db: float = 0.0) -> np.ndarray:
    """Lines spoken one after another with 0.6 s of room noise after each."""
    parts: list[np.ndarray] = []
    for line in lines:
        parts += [speak(line, voice, amplitude=20, gain_db=gain_db), room_noise(0.6)]
    return np.concatenate(parts)
