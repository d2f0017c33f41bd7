"""Speech the recognition scripts feed Vosk: one place, so every script hears the same.

Two corpora:
- `spoken_sentences(language)`: sentences in the model's own language, spoken twice
  by espeak-ng (one voice at 150 words a minute, another at 130), in turns with the pauses of
  someone talking (0.3-1.2 s inside a turn, 2.5 s between turns). Speech the model
  can actually hear: what a user's check-in sounds like to their model.
- `shared_recordings(audio)`: the real human recordings of ../shared/audio, joined
  with 0.8 s gaps. Real voices, but English: a Korean model can only garble them,
  and a garbled utterance costs Vosk far more to finalise than a heard one.

Every gap is a -70 dBFS room floor: a microphone never delivers digital zeros, and
bare Vosk decodes those almost for free.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import numpy as np

from assistant.audio.frames import RATE, read_wav

SENTENCES = {
    "ko": [
        "안녕하세요 만나서 반갑습니다", "오늘은 날씨가 좋습니다", "우리는 함께 산책을 했어요",
        "저는 커피를 좋아합니다", "내일은 일찍 일어나야 해요", "주말에 영화를 봤어요",
        "이 음식은 정말 맛있어요", "학교에 가는 길입니다", "친구와 이야기를 나눴어요",
        "오늘 하루도 수고했어요", "집에 가서 쉬고 싶어요", "어제는 비가 많이 왔어요",
        "고마워요 정말 도움이 됐어요", "우리 다음 주에 만나요", "시간이 너무 빨리 가요",
    ],
    "en": [
        "this week felt long and I was tired most evenings",
        "I missed our walks after dinner", "when you listened on sunday I felt close to you",
        "I get quiet when I am worried about work", "I would like us to cook together again",
        "the phone at the table bothers me", "I felt alone when plans changed at the last minute",
        "thank you for picking up the children", "I want to plan a slow morning on saturday",
        "it helps me when you tell me early", "I know I was short with you on tuesday",
        "I liked the note you left me", "let us try ten minutes of talking each night",
        "I appreciate how patient you were with my mother", "I feel hopeful about the next month",
    ],
}  # fmt: skip
VOICES = ("{lang}", "{lang}+f3")
SPEEDS = (150, 130)
PAUSES = (0.4, 0.9, 0.3, 1.2, 0.6)  # inside a turn
TURN_PAUSE = 2.5
SENTENCES_PER_TURN = 5


def room_floor(seconds: float, rng: np.random.Generator) -> np.ndarray:
    return rng.normal(0, 10, int(round(seconds * RATE))).astype(np.int16)


def espeak(text: str, voice: str, speed: int) -> np.ndarray:
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "say.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(wav), text],
                       check=True, capture_output=True)
        return read_wav(wav)


def spoken_sentences(language: str) -> tuple[np.ndarray, list[str]]:
    """Turns of sentences in `language` (a key of SENTENCES) and the script spoken, in order."""
    if language not in SENTENCES:
        raise SystemExit(f"no sentences for language {language!r}; known: {', '.join(SENTENCES)}")
    rng = np.random.default_rng(0)
    parts, script = [room_floor(1.0, rng)], []
    for take, (voice, speed) in enumerate(zip(VOICES, SPEEDS, strict=True)):
        for i, text in enumerate(SENTENCES[language]):
            parts.append(espeak(text, voice.format(lang=language), speed))
            script.append(text)
            turn_ends = (i + 1) % SENTENCES_PER_TURN == 0
            parts.append(room_floor(TURN_PAUSE if turn_ends else PAUSES[(i + take) % 5], rng))
    return np.concatenate(parts), script


def shared_recordings(audio: Path, zero_gaps: bool = False) -> np.ndarray:
    """The ../shared/audio recordings (not the noise burst) joined with 0.8 s gaps."""
    files = sorted(p for p in audio.glob("*.wav") if p.name != "alsa_Noise.wav")
    if not files:
        raise SystemExit(f"no recordings in {audio}")
    rng = np.random.default_rng(0)
    gap = int(0.8 * RATE)
    return np.concatenate([
        np.concatenate([read_wav(p), np.zeros(gap, np.int16) if zero_gaps
                        else rng.normal(0, 10, gap).astype(np.int16)])
        for p in files
    ])
