"""Timed turns: equal allotments with a warning, time's up, an early pass, a silence
nudge and an overrun reminder; reflect runs the same machinery in six parts."""

from __future__ import annotations

from dataclasses import dataclass

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
from assistant.flow.steps import StepRunner, TurnView
from assistant.flow.turns import spoken_duration
from assistant.flow.voices import FloorShare


@dataclass(frozen=True)
class Slot:
    """One timed turn of a step: who holds the floor, with which sentence, for how long."""

    partner: int  # index into the partners
    key: str  # the step's sentence that opens the turn: prompt, reflect or confirm
    seconds: float


class TurnsRunner(StepRunner):
    """Equal timed turns: warning, time's up, early pass, silence nudge, overrun."""

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
        self.started = now
        self.last_activity = now
        self.speaking = False  # a stretch of speech begun in this turn is open
        self.speaking_since = now
        self.speech = 0.0
        self.warned = self.allotted <= 2 * self.settings.warning_seconds
        self.nudged = False
        self.time_up_at: float | None = None
        self.share = FloorShare(self.other(name), self.settings.interruption_seconds)
        self.reminded = False  # the interruption reminder: at most once a turn
        self.words = self.host.gentle.turn(sharing=self.slot.key == "prompt")

    def remaining(self) -> float:
        return self.allotted - (self.host.active() - self.started)

    def on_command(self, name: CommandName) -> None:
        if name in (CommandName.DONE, CommandName.NEXT):
            self.end_turn("done")

    def on_utterance(self, event: Utterance) -> None:
        self.words.heard(event.text)  # counted in memory; the words are not kept
        self.activity()

    def on_speech(self, started: bool, seconds: float, audio_time: float = 0.0) -> None:
        if started:
            self.speaking, self.speaking_since = True, self.host.active()
            self.share.speech_started(audio_time)
        elif self.speaking:
            self.speech += seconds
            self.speaking = False
        # (an end without its start is speech begun in the turn before: counted there)
        self.activity()

    def on_voice(self, event: VoiceAttributed) -> None:
        """The listener's words are theirs; talking over the speaker too long gets one
        kind reminder a turn (none once the speaker's time is up: the floor is passing)."""
        share = self.share
        new = share.piece(event.audio_start, event.audio_end, event.voice,
                          watching=self.time_up_at is None)
        if new and not self.reminded:
            self.reminded = True
            self.host.phrase("interruption", name=share.listener, other=self.speaker)

    def own_speech(self, total: float) -> float:
        """The speaker's part of the turn's speech: all of it but the listener's."""
        return max(0.0, total - self.share.listener_speech)

    def activity(self) -> None:
        self.last_activity = self.host.active()
        self.nudged = False

    def tick(self) -> None:
        now = self.host.active()
        remaining = self.remaining()
        silent_for = 0.0 if self.speaking else now - self.last_activity
        name = self.speaker
        if self.time_up_at is None:
            if not self.warned and remaining <= self.settings.warning_seconds:
                self.warned = True
                self.host.emit(Chime("warning"))
                self.host.phrase("warning", name=name, other=self.other(name),
                                 time=spoken_duration(max(remaining, 0.0)))
            if remaining <= 0:
                self.time_up_at = now
                if silent_for >= self.settings.finish_silence_seconds:
                    self.host.phrase("times_up", name=name, other=self.other(name))
                    self.end_turn("time")
                else:
                    self.host.phrase("finish_up", name=name, other=self.other(name))
                return
            if not self.nudged and silent_for >= self.settings.silence_nudge_seconds:
                self.nudged = True
                self.host.phrase("silence_nudge", name=name, other=self.other(name))
            return
        if now - self.time_up_at >= self.settings.overrun_grace_seconds:
            self.host.phrase("overrun", name=name, other=self.other(name))
            self.end_turn("overrun")
        elif silent_for >= self.settings.finish_silence_seconds:
            self.host.phrase("thanks", name=name, other=self.other(name))
            self.end_turn("time")

    def end_turn(self, ended_by: str) -> None:
        name = self.speaker
        if self.speaking:  # the turn ends mid-sentence: what was said so far is theirs
            self.speech += max(0.0, self.host.active() - self.speaking_since)
            self.speaking = False
        used = self.host.active() - self.started
        share, words = self.share, self.words
        record = TurnRecord(self.step.id, name, self.allotted, round(used, 3),
                            round(self.own_speech(self.speech), 3), ended_by,
                            round(share.listener_speech, 3), share.interruptions,
                            round(share.interrupted_seconds, 3), words.statements,
                            words.i_statements, words.blame)
        self.host.ledger.add(record)
        self.host.save(record)
        self.host.emit(EndTurn(name))
        if ended_by == "stop":
            return
        if self.host.gentle.tip_due(name, words):  # after the turn, never during it
            self.host.phrase("gentle_words", name=name, other=self.other(name))
        self.index += 1
        if self.index < len(self.parts):
            self.begin_turn()
        else:
            self.host.step_done()

    def resume(self) -> None:
        name = self.speaker
        left = max(self.remaining(), 0.0)
        self.host.phrase("resume_turn", name=name, other=self.other(name),
                         time=spoken_duration(left))
        self.host.emit(Listen(name, "turn"))
        self.last_activity = self.host.active()
        self.speaking = False

    def stop(self) -> None:
        self.end_turn("stop")

    def waits_on_time(self) -> bool:
        return True

    def speech_so_far(self) -> float:
        """The speaker's speech including a stretch still going on, so the live balance
        moves while a partner speaks instead of when they pause."""
        total = self.speech
        if self.speaking:
            total += max(0.0, self.host.active() - self.speaking_since)
        return self.own_speech(total)

    def view(self) -> TurnView:
        return TurnView(self.speaker, self.remaining(), self.allotted, self.speech_so_far(),
                        self.share.listener_speech)


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
