"""The evening scripts/bench_soak.py replays: two couples' speech (English and Korean
sentences, voices and speeds), the clips rendered from it, and the partners who answer
the flow as people would (`Evening`), on the weekly guide with more sharing rounds."""

from __future__ import annotations

import hashlib
import random
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import BinaryIO

import numpy as np

from assistant.audio.frames import RATE, AudioChunk
from assistant.flow.events import (
    Action,
    Command,
    CommandName,
    EndTurn,
    Event,
    HeatRecord,
    Save,
    StartTurn,
    TurnRecord,
)
from assistant.flow.kinds import StepKind
from assistant.flow.steps import ItemView, Phase, TurnView
from assistant.guides import Guide, load_guide
from assistant.session.voice import Session
from scripts.bench_common import CHUNK, Loudspeaker
from speechlab.voices import room_noise, speech_seconds

PARTNERS = ("Ana", "Ben")
PAUSES = (0.3, 2.0)  # room noise between two sentences, seconds
END_QUIET = 5.0  # a partner stops this long before time is up, so the turn ends by time
COMMAND_WAIT = 4.0  # audio seconds for a spoken command to reach the flow, else the key
SEED = 20240607


# ------------------------------------------------------------ the couples


@dataclass(frozen=True)
class Speech:
    """What one couple says and how: voices per partner, speeds, lines, items, and
    whether their commands are spoken or pressed."""

    language: str
    voices: dict[str, tuple[str, ...]]
    speeds: tuple[float, ...]
    item_speed: float
    stories: dict[str, list[str]]
    causes: list[tuple[str, str]]
    rituals: list[tuple[str, str]]
    appreciations: list[tuple[str, str]]
    commands: dict[CommandName, str] = field(default_factory=dict)  # spoken, if any

    def render(self, text: str, voice: str, speed: float) -> np.ndarray:
        if self.language == "ko":
            from speechlab.voices import speak

            return speak(text, voice, speed=int(speed), amplitude=20)
        from speechlab.english import say

        return say(text, voice, speed)


# Written for this benchmark; none holds a command phrase of its language (English:
# next, done, pause, continue, repeat, stop, yes, yeah, no, save, say again, go on;
# Korean: 다음, 끝, 잠깐, 계속, 다시, 그만, 네, ...), so a turn can only end early if
# the recognizer invents one.
ENGLISH = Speech(
    "en",
    {"Ana": ("festival-slt", "flite-slt", "espeak-us"),
     "Ben": ("espeak-gb", "flite-rms", "flite-awb")},
    (0.9, 1.0, 1.15), 1.0,
    {"Ana": [
        "work has been busy and I felt tired most evenings this week",
        "I loved the time we cooked together on the weekend",
        "I think we both look at our phones more than we used to",
        "I feel calm when you listen to my stories after work",
        "I was sorry that I came home late on tuesday",
        "coffee together in the morning makes my whole day warmer",
        "sometimes it feels like I do the housework alone",
        "still I was glad you helped with the dishes on friday",
        "money worried me a little this month",
        "planning the visit to my parents made me feel tense",
        "I would love it if we walked together more often",
        "when you laugh I feel lighter too",
        "I have not slept well lately and I was short with you",
        "we had many plans with friends and little time at home",
        "I felt we needed more time just for the two of us",
        "I started running again and it gives me energy",
    ], "Ben": [
        "the project deadline kept me busy all week",
        "thank you for waiting for me when I was late",
        "I missed having dinner together on so many nights",
        "I think I have been quieter than usual lately",
        "I would like us to go hiking at the weekend",
        "I should have asked more when you were having a hard time",
        "after long meetings I come home with little left to say",
        "watching a film on friday night was really fun",
        "I wish our flat were a little quieter in the evenings",
        "the vet bill for the cat worried me a lot",
        "I have been thinking about how to plan your birthday",
        "when I am upset I tend to go quiet",
        "the train to work was so crowded that I was worn out",
        "I would like us to say kind things to each other more",
        "I am sorry that I played games so late at night",
        "planning our summer trip makes me excited",
    ]},
    [("Ana", "we both worked late too often"), ("Ben", "our phones took our evenings"),
     ("Ana", "we were too busy to talk"), ("Ben", "money worries made us tense")],
    [("Ana", "ten minutes of talking every night"), ("Ben", "a walk together on saturday morning")],
    [("Ana", "thank you for making coffee every morning"),
     ("Ben", "thank you for always being on my side")],
    {CommandName.YES: "yes", CommandName.SAVE: "save it", CommandName.NEXT: "next"},
)
KOREAN = Speech(
    "ko", {"Ana": ("ko+f2",), "Ben": ("ko+m3",)}, (120, 140, 160), 130,
    {"Ana": [
        "요즘 회사 일이 많아서 저녁마다 피곤했어요",
        "주말에 당신과 함께 요리했던 시간이 좋았어요",
        "우리가 휴대폰을 보는 시간이 늘어난 것 같아요",
        "나는 당신이 내 이야기를 들어줄 때 마음이 편해요",
        "지난 화요일에 늦게 들어와서 미안했어요",
        "아침에 같이 커피를 마시면 하루가 따뜻해져요",
        "가끔은 내가 혼자 집안일을 하는 것 같아서 서운해요",
        "그래도 당신이 설거지를 도와줘서 고마웠어요",
        "이번 달에는 돈 걱정이 조금 있었어요",
        "부모님 댁에 가는 일정 때문에 마음이 복잡했어요",
        "나는 우리가 더 자주 산책했으면 좋겠어요",
        "당신이 웃을 때 나도 기분이 좋아져요",
        "요즘 잠을 잘 못 자서 예민했던 것 같아요",
        "친구들과의 약속이 많아서 집에 있는 시간이 적었어요",
        "우리 둘만의 시간이 더 필요하다고 느꼈어요",
        "나는 요즘 운동을 시작해서 조금 힘이 나요",
    ], "Ben": [
        "나는 이번 주에 프로젝트 마감 때문에 정신이 없었어요",
        "당신이 나를 기다려 줘서 고마웠어요",
        "저녁을 같이 먹지 못한 날이 많아서 아쉬웠어요",
        "요즘 내가 말수가 줄어든 것 같아요",
        "나는 주말에 등산을 같이 가고 싶어요",
        "당신이 힘들 때 내가 더 물어봤어야 했어요",
        "회의가 길어지면 집에 와서 아무 말도 하기 싫었어요",
        "그래도 금요일 밤에 영화 본 것이 즐거웠어요",
        "나는 우리 집이 조금 더 조용했으면 좋겠어요",
        "고양이 병원비 때문에 걱정을 많이 했어요",
        "당신의 생일 준비를 생각하고 있어요",
        "나는 화가 나면 조용해지는 습관이 있어요",
        "출근길 지하철이 너무 붐벼서 지쳤어요",
        "우리가 서로 칭찬을 더 많이 하면 좋겠어요",
        "요즘 밤늦게 게임을 해서 미안해요",
        "여름 여행 계획을 세우면 설레요",
    ]},
    [("Ana", "야근이 너무 많았어요"), ("Ben", "휴대폰을 너무 오래 봐요"),
     ("Ana", "서로 바빠서 대화가 줄었어요"), ("Ben", "돈 문제로 스트레스를 받았어요")],
    [("Ana", "매일 밤 십 분 동안 이야기하기"), ("Ben", "토요일 아침에 같이 산책하기")],
    [("Ana", "아침마다 커피를 만들어 줘서 고마워요"), ("Ben", "늘 내 편이 되어 줘서 고마워요")],
)


@dataclass(frozen=True)
class Clip:
    """A sentence as a voice said it, padded to whole chunks with digital silence."""

    clean: np.ndarray

    @property
    def seconds(self) -> float:
        return len(self.clean) / RATE


class Clips:
    """Clips cached on disk per (voice, speed, text), rendered up front so that
    synthesis never lands inside the timed replay."""

    def __init__(self, speech: Speech) -> None:
        self.speech = speech
        self.folder = Path(tempfile.gettempdir()) / "checkin-bench-soak"
        self.folder.mkdir(exist_ok=True)
        self._loaded: dict[tuple[str, str, float], Clip] = {}

    def get(self, text: str, voice: str, speed: float) -> Clip:
        key = (text, voice, speed)
        if key not in self._loaded:
            name = hashlib.sha1(f"{voice}|{speed}|20|{text}".encode()).hexdigest()
            path = self.folder / f"{name}.npy"
            if path.exists():
                samples = np.load(path)
            else:
                samples = self.speech.render(text, voice, speed)
                np.save(path, samples)
            padded = np.zeros(-(-len(samples) // CHUNK) * CHUNK, np.int16)
            padded[: len(samples)] = samples
            self._loaded[key] = Clip(padded)
        return self._loaded[key]

    def render_all(self) -> None:
        speech = self.speech
        for partner, lines in speech.stories.items():
            for text in lines:
                for voice in speech.voices[partner]:
                    for speed in speech.speeds:
                        self.get(text, voice, speed)
        for partner, text in speech.causes + speech.rituals + speech.appreciations:
            self.get(text, speech.voices[partner][0], speech.item_speed)
        for text in speech.commands.values():
            for partner in PARTNERS:
                self.get(text, speech.voices[partner][0], 1.0)


# ------------------------------------------------------------- the evening


class Evening:
    """The room's sound for the whole check-in as 20 ms chunks, decided as it goes,
    and the speech really played in each turn. Each chunk's samples go to `sink`
    (the recording of run 1), and keys pressed to `keys`."""

    def __init__(self, session: Session, prompts: Loudspeaker, clips: Clips, rounds: int,
                 sink: BinaryIO | None, seed: int = SEED) -> None:
        self.session = session
        self.flow = session.flow
        self.prompts = prompts
        self.clips = clips
        self.speech = clips.speech
        self.rounds = rounds
        self.sink = sink
        self.rng = random.Random(seed)
        self.noise_seed = seed
        self.samples = 0  # audio handed to the replay so far
        self.turn: int | None = None  # index of the running turn
        self.turn_partners: list[str] = []
        self.played: list[float] = []  # speech played per turn (clean clips), seconds
        self.records: list[TurnRecord] = []
        self.heat: list[HeatRecord] = []
        self.keys: list[tuple[float, CommandName]] = []
        self.spoken: Counter[str] = Counter()  # commands "said", and of those "keyed"
        self.given: Counter[CommandName] = Counter()  # commands the flow was given

    @property
    def now(self) -> float:
        return self.samples / RATE

    def on_action(self, action: Action) -> None:
        """Session hook: which turn runs, and what the flow saved."""
        if isinstance(action, StartTurn):
            self.turn = len(self.played)
            self.turn_partners.append(action.partner)
            self.played.append(0.0)
        elif isinstance(action, EndTurn):
            self.turn = None
        elif isinstance(action, Save) and isinstance(action.record, TurnRecord):
            self.records.append(action.record)
        elif isinstance(action, Save) and isinstance(action.record, HeatRecord):
            self.heat.append(action.record)

    def on_event(self, event: Event) -> None:
        if isinstance(event, Command):
            self.given[event.name] += 1

    # ------------------------------------------------------------ sounds

    def _noise(self, samples: int) -> np.ndarray:
        self.noise_seed += 1
        return room_noise(samples / RATE, seed=self.noise_seed)

    def _chunk(self, piece: np.ndarray) -> AudioChunk:
        """The next chunk of the stream (the clock advances only for what is yielded)."""
        chunk = AudioChunk(piece, self.now)
        self.samples += len(piece)
        if self.sink is not None:
            self.sink.write(piece.astype("<i2").tobytes())
        return chunk

    def quiet(self, seconds: float) -> Iterator[AudioChunk]:
        noise = self._noise(max(1, round(seconds * RATE / CHUNK)) * CHUNK)
        for i in range(0, len(noise), CHUNK):
            yield self._chunk(noise[i : i + CHUNK])

    def speak(self, clip: Clip) -> Iterator[AudioChunk]:
        """A partner says one sentence in the quiet room; stops if the turn ends meanwhile,
        and credits the turn with the speech of what was played."""
        turn = self.turn
        mixed = np.clip(clip.clean.astype(np.int32) + self._noise(len(clip.clean)),
                        -32768, 32767).astype(np.int16)
        played = 0
        for i in range(0, len(mixed), CHUNK):
            if self.turn != turn:
                break
            played = i + CHUNK
            yield self._chunk(mixed[i : i + CHUNK])
        if turn is not None:
            self.played[turn] += speech_seconds(clip.clean[:played])

    def until(self, done: Callable[[], bool], limit: float, what: str) -> Iterator[AudioChunk]:
        end = self.now + limit
        while not done():
            if self.now >= end:
                raise RuntimeError(f"waited {limit:.0f} s of audio for {what}; the flow is in "
                                   f"{self.flow.state} ({self.flow.view().activity}), last "
                                   f"prompts {self.prompts.said[-3:]}")
            yield from self.quiet(0.1)

    def hush(self) -> Iterator[AudioChunk]:
        """Quiet while a prompt would still be playing."""
        while self.prompts.busy_until > self.now + 1e-6:
            yield from self.quiet(0.1)

    def key(self, name: CommandName, partner: str) -> Iterator[AudioChunk]:
        """Wait for the prompts to end, then say the command (or press its key when this
        couple's commands are keys, or when the flow was not given the spoken one in
        time), and wait for the flow to answer."""
        yield from self.hush()
        before = len(self.prompts.said)
        given = self.given[name]

        def answered() -> bool:
            return len(self.prompts.said) > before or self.flow.ended

        text = self.speech.commands.get(name)
        if text is not None:
            yield from self.quiet(0.4)
            self.spoken["said"] += 1  # (the replay stops at once if this ends the flow)
            yield from self.speak(self.clips.get(text, self.speech.voices[partner][0], 1.0))
            end = self.now + COMMAND_WAIT
            while self.given[name] == given and self.now < end:
                yield from self.quiet(0.1)
            if self.given[name] > given:
                yield from self.until(answered, 2, f"an answer to the spoken {name.value}")
                return
            self.spoken["keyed"] += 1
        self.keys.append((self.now, name))
        self.session.press(name)
        yield from self.until(answered, 2, f"an answer to the {name.value} key")

    # ----------------------------------------------------------- the steps

    def __iter__(self) -> Iterator[AudioChunk]:
        flow, speech = self.flow, self.speech
        yield from self.until(lambda: flow.state == "consent", 5, "the consent question")
        for partner in PARTNERS:
            yield from self.key(CommandName.YES, partner)
        for index in range(2 * self.rounds):
            yield from self.until(partial(self.turn_is, index), 5, f"turn {index + 1}")
            yield from self.hush()
            yield from self.share(self.turn_partners[index])
            yield from self.until(partial(self.turn_over, index), 60, f"turn {index + 1} to end")
        yield from self.items("causes", speech.causes, [CommandName.SAVE])
        last = PARTNERS[len(speech.causes) % 2]
        yield from self.waiting_for("causes", last, len(speech.causes))
        yield from self.key(CommandName.NEXT, last)  # enough causes: move on
        yield from self.skip("loved")
        yield from self.items("rituals", speech.rituals, [CommandName.YES, CommandName.YES])
        for step in ("activity", "support"):
            yield from self.skip(step)
        yield from self.items("appreciations", speech.appreciations, [CommandName.SAVE])
        yield from self.until(lambda: flow.ended, 5, "the goodbye")

    def skip(self, step: str) -> Iterator[AudioChunk]:
        """An optional step's offer, declined: not this evening."""
        yield from self.until(lambda: self.flow.state == step, 5, f"the {step} offer")
        yield from self.key(CommandName.NEXT, PARTNERS[0])

    def turn_is(self, index: int) -> bool:
        return self.turn == index

    def turn_over(self, index: int) -> bool:
        return self.turn != index

    def share(self, partner: str) -> Iterator[AudioChunk]:
        """Sentences and pauses until just before time is up, then quiet."""
        voices, lines = self.speech.voices[partner], self.speech.stories[partner]
        while True:
            clip = self.clips.get(self.rng.choice(lines), self.rng.choice(voices),
                                  self.rng.choice(self.speech.speeds))
            pause = round(self.rng.uniform(*PAUSES), 2)
            turn = self.flow.view().activity
            left = turn.remaining if isinstance(turn, TurnView) else 0.0
            if left < clip.seconds + pause + END_QUIET:
                return
            yield from self.speak(clip)
            yield from self.quiet(pause)

    def waiting_for(self, step: str, partner: str, kept: int) -> Iterator[AudioChunk]:
        def asked() -> bool:
            item = self.flow.view().activity
            return (self.flow.state == step and isinstance(item, ItemView)
                    and item.phase == Phase.LISTENING and item.speaker == partner
                    and item.kept == kept)

        yield from self.until(asked, 10, f"{partner} to be asked in {step}")

    def read_back(self) -> bool:
        item = self.flow.view().activity
        return not isinstance(item, ItemView) or item.phase != Phase.LISTENING

    def items(self, step: str, items: list[tuple[str, str]],
              keys: list[CommandName]) -> Iterator[AudioChunk]:
        """Each item: asked, said, read back, confirmed (rituals: both say yes)."""
        for kept, (partner, text) in enumerate(items):
            yield from self.waiting_for(step, partner, kept)
            yield from self.hush()
            yield from self.quiet(0.5)
            voice = self.speech.voices[partner][0]
            yield from self.speak(self.clips.get(text, voice, self.speech.item_speed))
            yield from self.until(self.read_back, 15, f"the read-back of {partner}'s {step} item")
            for n, name in enumerate(keys):
                who = PARTNERS[n] if len(keys) > 1 else partner
                yield from self.key(name, who)


def evening_guide(turn_seconds: float, rounds: int) -> Guide:
    """The weekly guide with `rounds` sharing rounds (the shipped guide has one), each
    two plain turns: the benchmark's script fills speaking turns, not the short
    reflections the shipped round adds after each (a reflect step)."""
    guide = load_guide("weekly").with_settings(turn_seconds=turn_seconds)
    steps = list(guide.steps)
    at = next(i for i, s in enumerate(steps) if s.kind in (StepKind.TURNS, StepKind.REFLECT))
    steps[at] = replace(steps[at], kind=StepKind.TURNS)
    extra = [replace(steps[at], id=f"{steps[at].id}_{n}") for n in range(2, rounds + 1)]
    return replace(guide, steps=tuple(steps[: at + 1] + extra + steps[at + 1 :]))
