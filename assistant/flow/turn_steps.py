"""Timed turns: equal allotments with a warning, time's up, an early pass, a silence
nudge and an overrun reminder; reflect runs the same machinery in six parts."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from assistant.flow.events import (
    Chime,
    CommandName,
    EndTurn,
    Listen,
    StartTurn,
    TurnRecord,
    Utterance,
    VoiceAttributed,
)
from assistant.flow.gentle import TurnWords
from assistant.flow.steps import StepHost, StepRunner, TurnView
from assistant.flow.turns import spoken_duration
from assistant.flow.voices import FloorShare
from assistant.guides import Step


@dataclass(frozen=True)
class Slot:
    """One timed turn of a step: who holds the floor, with which sentence, for how long."""

    partner: int  # index into the partners
    key: str  # the step's sentence that opens the turn: prompt, reflect or confirm
    seconds: float


class TurnPhase(str, Enum):
    """Where a turn is: within its allotment, or past it with the speaker finishing.

    TALKING: the warning a minute before the end, the silence nudge; at the end of the
    allotment a silent speaker is thanked at once, else the turn becomes FINISHING:
    the speaker's next silence hands over, or the overrun reminder after the grace.
    """

    TALKING = "talking"
    FINISHING = "finishing"


@dataclass
class TurnState:
    """One turn's own numbers, from its start to its end (active time: it stands still
    on hold)."""

    started: float
    allotted: float
    share: FloorShare  # the listener's speech and talking over, from whose voice it was
    words: TurnWords  # blame and "I" statements, counted in memory
    warned: bool  # the warning was said (or the turn is too short for one)
    last_activity: float = 0.0  # the last speech or words heard
    speaking: bool = False  # a stretch of speech begun in this turn is open
    speaking_since: float = 0.0
    heard: bool = False  # the hearing reports speech as it happens (a spoken turn)
    speech: float = 0.0  # seconds of closed stretches of speech
    nudged: bool = False  # the silence nudge was said since the last activity
    reminded: bool = False  # the interruption reminder: at most once a turn
    phase: TurnPhase = TurnPhase.TALKING
    time_up_at: float = 0.0  # when the allotment ran out (FINISHING only)

    def speech_so_far(self, now: float) -> float:
        """All speech in the turn, a stretch still going on included."""
        return self.speech + (max(0.0, now - self.speaking_since) if self.speaking else 0.0)

    def own_speech(self, total: float) -> float:
        """The speaker's part of the turn's speech: all of it but the listener's."""
        return max(0.0, total - self.share.listener_speech)


class TurnsRunner(StepRunner):
    """Equal timed turns: warning, time's up, early pass, silence nudge, overrun."""

    def __init__(self, host: StepHost, step: Step) -> None:
        super().__init__(host, step)
        self.index = 0  # the slot under way
        self.parts: list[Slot] = []
        self._turn: TurnState | None = None

    def slots(self) -> list[Slot]:
        """The step's turns in order: each partner once, with the same time."""
        seconds = self.host.guide.turn_seconds(self.step)
        return [Slot(0, "prompt", seconds), Slot(1, "prompt", seconds)]

    def enter(self) -> None:
        self.index = self.host.take_resume_progress()
        self.parts = self.slots()
        if self.index >= len(self.parts):
            self.host.step_done()
            return
        if self.step.has("intro") and self.index == 0:
            self.host.say(self.fmt("intro"), opening=True)
        self.begin_turn()

    @property
    def turn(self) -> TurnState:
        assert self._turn is not None, "a turn has begun"
        return self._turn

    @property
    def slot(self) -> Slot:
        return self.parts[self.index]

    @property
    def speaker(self) -> str:
        return self.host.partners[self.slot.partner]

    @property
    def allotted(self) -> float:
        return self.slot.seconds

    def begin_turn(self) -> None:
        name = self.speaker
        self.host.emit(Chime("turn"))
        time = spoken_duration(self.allotted)
        self.host.say(self.fmt(self.slot.key, name=name, other=self.other(name), time=time),
                      opening=True)
        self.host.emit(StartTurn(name, self.allotted))
        self.host.emit(Listen(name, "turn"))
        now = self.host.active()
        self._turn = TurnState(
            started=now, allotted=self.allotted, last_activity=now, speaking_since=now,
            share=FloorShare(self.other(name), self.settings.interruption_seconds),
            words=self.host.gentle.turn(sharing=self.slot.key == "prompt"),
            warned=self.allotted <= 2 * self.settings.warning_seconds)

    def remaining(self) -> float:
        return self.allotted - (self.host.active() - self.turn.started)

    def on_command(self, name: CommandName) -> None:
        if name in (CommandName.DONE, CommandName.NEXT):
            self.end_turn("done")

    def on_utterance(self, event: Utterance) -> None:
        """Words heard: activity, unless the hearing reports this turn's speech as it
        happens; then the words were counted when said, and their transcript may come
        seconds later (a turn's window), which is no sign of talk going on."""
        self.turn.words.heard(event.text)  # counted in memory; the words are not kept
        if not self.turn.heard:
            self.activity()

    def on_speech(self, started: bool, seconds: float, audio_time: float = 0.0) -> None:
        turn = self.turn
        turn.heard = True
        if started:
            turn.speaking, turn.speaking_since = True, self.host.active()
            turn.share.speech_started(audio_time)
        elif turn.speaking:
            turn.speech += seconds
            turn.speaking = False
        # (an end without its start is speech begun in the turn before: counted there)
        self.activity()

    def on_voice(self, event: VoiceAttributed) -> None:
        """The listener's words are theirs; talking over the speaker too long gets one
        kind reminder a turn (none once the speaker's time is up: the floor is passing)."""
        turn = self.turn
        new = turn.share.piece(event.audio_start, event.audio_end, event.voice,
                               watching=turn.phase is TurnPhase.TALKING)
        if new and not turn.reminded:
            turn.reminded = True
            self.host.phrase("interruption", name=turn.share.listener, other=self.speaker)

    def activity(self) -> None:
        self.turn.last_activity = self.host.active()
        self.turn.nudged = False

    def say_to_speaker(self, key: str, **values: str) -> None:
        name = self.speaker
        self.host.phrase(key, name=name, other=self.other(name), **values)

    def tick(self) -> None:
        turn, now = self.turn, self.host.active()
        silent_for = 0.0 if turn.speaking else now - turn.last_activity
        if turn.phase is TurnPhase.TALKING:
            self.tick_talking(now, silent_for)
        elif now - turn.time_up_at >= self.settings.overrun_grace_seconds:
            self.say_to_speaker("overrun")
            self.end_turn("overrun")
        elif silent_for >= self.settings.finish_silence_seconds:
            self.say_to_speaker("thanks")
            self.end_turn("time")

    def tick_talking(self, now: float, silent_for: float) -> None:
        """Within the allotment: the warning, time's up, the silence nudge."""
        turn, remaining = self.turn, self.remaining()
        if not turn.warned and remaining <= self.settings.warning_seconds:
            turn.warned = True
            self.host.emit(Chime("warning"))
            self.say_to_speaker("warning", time=spoken_duration(max(remaining, 0.0)))
        if remaining <= 0:
            turn.phase, turn.time_up_at = TurnPhase.FINISHING, now
            if silent_for >= self.settings.finish_silence_seconds:
                self.say_to_speaker("times_up")
                self.end_turn("time")
            else:
                self.say_to_speaker("finish_up")
            return
        if not turn.nudged and silent_for >= self.settings.silence_nudge_seconds:
            turn.nudged = True
            self.say_to_speaker("silence_nudge")

    def end_turn(self, ended_by: str) -> None:
        name, turn = self.speaker, self.turn
        if turn.speaking:  # the turn ends mid-sentence: what was said so far is theirs
            turn.speech += max(0.0, self.host.active() - turn.speaking_since)
            turn.speaking = False
        used = self.host.active() - turn.started
        share, words = turn.share, turn.words
        record = TurnRecord(self.step.id, name, self.allotted, round(used, 3),
                            round(turn.own_speech(turn.speech), 3), ended_by,
                            round(share.listener_speech, 3), share.interruptions,
                            round(share.interrupted_seconds, 3), words.statements,
                            words.i_statements, words.blame)
        self.host.ledger.add(record)
        self.host.save(record)
        self.host.emit(EndTurn(name))
        if ended_by == "stop":
            return
        if self.host.gentle.tip_due(name, words):  # after the turn, never during it
            self.say_to_speaker("gentle_words")
        self.index += 1
        if self.index < len(self.parts):
            self.begin_turn()
        else:
            self.host.step_done()

    def resume(self) -> None:
        left = max(self.remaining(), 0.0)
        self.say_to_speaker("resume_turn", time=spoken_duration(left))
        self.host.emit(Listen(self.speaker, "turn"))
        self.turn.last_activity = self.host.active()
        self.turn.speaking = False

    def stop(self) -> None:
        self.end_turn("stop")

    def waits_on_time(self) -> bool:
        return True

    def view(self) -> TurnView:
        """The speaker's speech includes a stretch still going on, so the live balance
        moves while a partner speaks instead of when they pause."""
        turn = self.turn
        return TurnView(self.speaker, self.remaining(), self.allotted,
                        turn.own_speech(turn.speech_so_far(self.host.active())),
                        turn.share.listener_speech)


class ReflectRunner(TurnsRunner):
    """Listening to understand: after each partner's turn, the listener says back what
    they heard, then the speaker confirms or adds one thing; then the roles swap.

    The same machinery as `turns` (warnings, "I'm done", holds, stop) runs every part,
    so both partners get exactly the same times. Nothing said is kept, only the times.
    """

    def slots(self) -> list[Slot]:
        share = self.host.guide.turn_seconds(self.step)
        reflect, confirm = self.settings.reflect_seconds, self.settings.confirm_seconds
        parts: list[Slot] = []
        for speaker in (0, 1):
            parts += [Slot(speaker, "prompt", share), Slot(1 - speaker, "reflect", reflect),
                     Slot(speaker, "confirm", confirm)]
        return parts

    def on_command(self, name: CommandName) -> None:
        if name == CommandName.YES and self.slot.key == "confirm":
            self.end_turn("done")  # "yes, that's it" closes the speaker's check
        else:
            super().on_command(name)
