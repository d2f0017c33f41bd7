"""What happens inside each kind of guide step.

The state machine (machine.py) decides *which* step is active and handles everything
that cuts across steps (pause, stop, repeat, heat, device loss). A runner here
decides what happens *within* its step: whose turn it is, when time is up, what was
said and whether it was confirmed. Runners only talk to their `StepHost`, never to
audio, files or a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from typing import Protocol

from assistant.flow.events import (
    Action,
    Activity,
    ActivityCheck,
    Appreciation,
    Chime,
    CommandName,
    EndTurn,
    Listen,
    PlannedActivity,
    Record,
    StartTurn,
    TurnRecord,
    Utterance,
    VoiceAttributed,
    VoiceConsent,
)
from assistant.flow.gentle import GentleWords
from assistant.flow.items import item_record
from assistant.flow.turns import TalkLedger, spoken_duration
from assistant.flow.voices import FloorShare
from assistant.guides import Guide, GuideSettings, Step

REVIEW_AFTER = timedelta(weeks=2)  # the first checkpoint after rituals are agreed


class Phase(str, Enum):
    """Where an item is: being said, read back for "save it", or asked of both partners."""

    LISTENING = "listening"
    CONFIRM = "confirm"
    AGREE_FIRST = "agree_first"
    AGREE_SECOND = "agree_second"


@dataclass(frozen=True)
class TurnView:
    """A timed turn, for the live view."""

    speaker: str
    remaining: float  # seconds of the allotment left (negative: past time)
    allotted: float
    speech: float  # seconds of speech so far in this turn, a stretch still open included
    listener_speech: float = 0.0  # what the listener said in it (voice attribution only)


@dataclass(frozen=True)
class ItemView:
    """An item being named and confirmed, for the live view."""

    speaker: str
    phase: Phase
    kept: int
    heard: str


StepView = TurnView | ItemView | None


class StepHost(Protocol):
    """What a step runner may ask of the flow."""

    guide: Guide
    partners: tuple[str, str]
    ledger: TalkLedger
    typed: bool  # the couple types: the typed words of a step, time taken instead of speech
    gentle: GentleWords  # blame noticed in sharing turns, one tip per partner

    def active(self) -> float: ...
    def asks_voice_consent(self) -> bool: ...
    def fill(self, template: str, **values: str) -> str: ...
    def say(self, text: str, repeatable: bool = True, opening: bool = False) -> None: ...
    def phrase(self, key: str, **values: str) -> None: ...
    def unclear(self) -> None: ...
    def emit(self, action: Action) -> None: ...
    def save(self, record: Record) -> None: ...
    def step_done(self) -> None: ...
    def end(self, reason: str) -> None: ...
    def review_date(self) -> str: ...
    def spoken_date(self, day: date) -> str: ...
    def activity_by(self) -> date | None: ...
    def rituals_to_review(self) -> tuple[str, ...]: ...
    def plans_to_review(self) -> tuple[str, ...]: ...
    def planned_activity(self) -> PlannedActivity | None: ...
    def habit_index(self) -> int: ...
    def appreciations_kept(self) -> list[Appreciation]: ...
    def loved(self) -> list[tuple[str, str]]: ...
    def take_resume_progress(self) -> int: ...
    def begin_offered(self, runner: StepRunner) -> None: ...


class StepRunner:
    """Base: a step that reacts to nothing until it is told to move on."""

    def __init__(self, host: StepHost, step: Step) -> None:
        self.host = host
        self.step = step

    @property
    def settings(self) -> GuideSettings:
        return self.host.guide.settings

    def fmt(self, key: str, **values: str) -> str:
        """One of the step's sentences, in this check-in's words, filled in."""
        return self.host.fill(self.step.text(key, self.host.typed), **values)

    def fmt_lines(self, key: str, **values: str) -> list[str]:
        return [self.host.fill(line, **values) for line in self.step.lines(key, self.host.typed)]

    def other(self, partner: str) -> str:
        a, b = self.host.partners
        return b if partner == a else a

    def enter(self) -> None:
        """The step begins."""

    def on_command(self, name: CommandName) -> None:
        """A command addressed to this step."""

    def on_utterance(self, event: Utterance) -> None:
        """Something said that is not a command."""

    def on_speech(self, started: bool, seconds: float, audio_time: float = 0.0) -> None:
        """Voice activity started or ended in the room."""

    def on_voice(self, event: VoiceAttributed) -> None:
        """A piece of speech was labelled with whose voice it was."""

    def tick(self) -> None:
        """Time passed (active time: it stands still on hold)."""

    def resume(self) -> None:
        """The check-in comes back from a hold to this step."""

    def stop(self) -> None:
        """The check-in is stopping in this step: keep what is worth keeping."""

    def view(self) -> StepView:
        """What the live view shows about this step."""
        return None

    def waits_on_time(self) -> bool:
        """True while something will happen here without anyone saying anything."""
        return False


class SayRunner(StepRunner):
    """Read the prompts, then wait for "next" (or move on at once)."""

    def enter(self) -> None:
        for line in self.fmt_lines("prompts"):
            self.host.say(line, opening=True)
        if self.step.has("safety"):
            self.host.say(self.fmt("safety"), opening=True)
        if self.step.wait:
            self.host.emit(Listen(None, "command"))
        else:
            self.host.step_done()

    def on_command(self, name: CommandName) -> None:
        if name in (CommandName.NEXT, CommandName.DONE, CommandName.CONTINUE, CommandName.YES):
            self.host.step_done()


class OfferRunner(StepRunner):
    """An optional step asks first: "yes" runs it, "no" or "next" moves on.

    One answer from either partner is enough to open the step: nothing is kept in it
    unless its own confirmation (a "save it", or both partners' yes) says so.
    """

    def __init__(self, host: StepHost, step: Step, runner: type[StepRunner]) -> None:
        super().__init__(host, step)
        self.runner = runner

    def enter(self) -> None:
        self.host.say(self.fmt("offer"), opening=True)
        self.host.emit(Listen(None, "answer"))

    def on_command(self, name: CommandName) -> None:
        if name == CommandName.YES:
            self.host.begin_offered(self.runner(self.host, self.step))
        elif name in (CommandName.NO, CommandName.NEXT):
            self.host.phrase("skipped")
            self.host.step_done()
        else:
            self.host.unclear()

    def on_utterance(self, event: Utterance) -> None:
        self.host.unclear()

    def resume(self) -> None:
        self.enter()


class ConsentRunner(StepRunner):
    """Both partners say yes, one after the other, or the check-in does not start.

    When the couple asked for their voices to be told apart and has not answered yet
    (the journal says, through the flow's context), each is then asked whether their
    voice may be learned. Every answer is kept; a "no" moves on to the check-in without
    asking the other, and nothing is learned unless both said yes.
    """

    def enter(self) -> None:
        self.index = 0
        self.voices = False  # asking about learning voices, after the check-in's yes
        self.ask()

    def ask(self) -> None:
        name = self.host.partners[self.index]
        if self.voices:
            key = "voice_consent" if self.index == 0 else "voice_consent_other"
            self.host.phrase(key, name=name, other=self.other(name))
            self.host.emit(Listen(name, "answer"))
            return
        self.host.say(self.fmt("prompt", name=name, other=self.other(name)), opening=True)
        self.host.emit(Listen(name, "answer"))

    def on_command(self, name: CommandName) -> None:
        if self.voices:
            self.on_voice_answer(name)
        elif name == CommandName.YES:
            self.index += 1
            if self.index < 2:
                self.ask()
            elif self.host.asks_voice_consent():
                self.voices, self.index = True, 0
                self.ask()
            else:
                self.host.step_done()
        elif name == CommandName.NO:
            self.host.say(self.fmt("declined"))
            self.host.end("declined")
        else:
            self.host.unclear()

    def on_voice_answer(self, name: CommandName) -> None:
        if name not in (CommandName.YES, CommandName.NO):
            self.host.unclear()
            return
        given = name == CommandName.YES
        self.host.save(VoiceConsent(self.host.partners[self.index], given, self.host.active()))
        self.index += 1
        if given and self.index < 2:
            self.ask()
            return
        self.host.phrase("voice_consent_given" if given else "voice_consent_refused")
        self.host.step_done()

    def on_utterance(self, event: Utterance) -> None:
        self.host.unclear()

    def resume(self) -> None:
        self.ask()


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


@dataclass
class _Pending:
    """An item being said, then confirmed."""

    speaker: str
    words: list[str]
    confidence: list[float]
    last_said: float

    @property
    def text(self) -> str:
        return " ".join(w.strip() for w in self.words if w.strip())


class CollectRunner(StepRunner):
    """Partners take turns naming items (causes, rituals, plans, appreciations); each is
    read back and kept only when confirmed: by the speaker ("save it"), or for rituals
    and plans by both partners saying yes."""

    def enter(self) -> None:
        done = self.host.take_resume_progress()
        self.asked = done  # how many items have been asked for
        self.kept = done
        self.pending: _Pending | None = None
        self.phase = Phase.LISTENING
        self.speaking = False
        if self.asked >= self.step.max:
            self.host.step_done()
            return
        if self.step.has("intro") and not done:
            self.host.say(self.fmt("intro"), opening=True)
        if self.step.has("loved") and not done:  # how each feels loved, kept earlier
            for name, text in self.host.loved():
                self.host.say(self.fmt("loved", name=name, text=text), opening=True)
        self.ask()

    @property
    def speaker(self) -> str:
        return self.host.partners[self.asked % 2]

    def ask(self) -> None:
        name = self.speaker
        key = "more" if self.kept >= max(self.step.min, 1) and self.step.has("more") \
            else "prompt"
        self.host.say(self.fmt(key, name=name, other=self.other(name)), opening=True)
        self.host.emit(Listen(name, "item"))
        self.phase = Phase.LISTENING
        self.pending = None

    def next_item(self) -> None:
        self.asked += 1
        if self.asked >= self.step.max or (self.step.enough and self.kept >= self.step.enough):
            self.host.step_done()
        else:
            self.ask()

    def on_utterance(self, event: Utterance) -> None:
        if self.phase in (Phase.AGREE_FIRST, Phase.AGREE_SECOND):
            self.host.unclear()
            return
        if self.phase == Phase.CONFIRM or self.pending is None:  # a new try replaces the last
            self.pending = _Pending(self.speaker, [], [], self.host.active())
            self.phase = Phase.LISTENING
        self.pending.words.append(event.text)
        self.pending.confidence.append(event.confidence)
        self.pending.last_said = self.host.active()

    def on_speech(self, started: bool, seconds: float, audio_time: float = 0.0) -> None:
        if self.pending is not None and self.phase == Phase.LISTENING:
            self.pending.last_said = self.host.active()
        self.speaking = started

    def tick(self) -> None:
        if self.phase != Phase.LISTENING or self.pending is None or not self.pending.text:
            return
        if self.speaking:
            return
        if self.host.active() - self.pending.last_said >= self.settings.item_end_silence_seconds:
            self.read_back()

    def read_back(self) -> None:
        assert self.pending is not None
        text = self.pending.text
        name = self.pending.speaker
        if self.step.agree == "both":
            self.phase = Phase.AGREE_FIRST
            first = self.host.partners[0]
            self.host.phrase("readback_agree", text=text, name=first, other=self.other(first))
            self.host.emit(Listen(first, "answer"))
        else:
            self.phase = Phase.CONFIRM
            self.host.phrase("readback_save", text=text, name=name, other=self.other(name))
            self.host.emit(Listen(name, "answer"))

    def on_command(self, name: CommandName) -> None:
        if self.phase == Phase.LISTENING:
            if name in (CommandName.DONE, CommandName.SAVE) and self.pending and self.pending.text:
                self.read_back()
            elif name == CommandName.NEXT or (name == CommandName.DONE and not self.pending):
                self.host.phrase("skipped")
                if self.kept >= max(self.step.min, 1) and name == CommandName.NEXT:
                    self.host.step_done()  # enough was named: "next" moves on
                else:
                    self.next_item()
            elif name == CommandName.SAVE:  # nothing heard yet: say so, keep listening
                self.host.phrase("nothing_to_save", name=self.speaker,
                                 other=self.other(self.speaker))
            return
        if self.phase == Phase.CONFIRM:
            if name in (CommandName.SAVE, CommandName.YES):
                self.keep()
            elif name in (CommandName.AGAIN, CommandName.NO):
                self.retry()
            elif name == CommandName.NEXT:
                self.host.phrase("skipped")
                self.next_item()
            return
        # agreeing (rituals): both partners must say yes
        if name == CommandName.YES:
            if self.phase == Phase.AGREE_FIRST:
                self.phase = Phase.AGREE_SECOND
                second = self.host.partners[1]
                self.host.phrase("agree_other", name=second, other=self.other(second))
                self.host.emit(Listen(second, "answer"))
            else:
                self.keep()
        elif name == CommandName.NO:
            self.host.phrase("not_agreed")
            self.retry()
        elif name == CommandName.NEXT:
            self.host.phrase("skipped")
            self.next_item()
        else:
            self.host.unclear()

    def retry(self) -> None:
        name = self.speaker
        self.pending = None
        self.phase = Phase.LISTENING
        self.host.phrase("retry", name=name, other=self.other(name))
        self.host.emit(Listen(name, "item"))

    def keep(self) -> None:
        assert self.pending is not None
        pending, at = self.pending, self.host.active()
        confidence = min(pending.confidence) if pending.confidence else 1.0
        record = item_record(self.step.item, pending.speaker, self.other(pending.speaker),
                             pending.text, confidence, at, self.host.activity_by())
        self.host.save(record)
        self.host.phrase("agreed" if self.step.agree == "both" else "saved")
        if isinstance(record, Activity) and record.by is not None and self.step.has("planned"):
            self.host.say(self.fmt("planned", date=self.host.spoken_date(record.by)))
        self.kept += 1
        self.next_item()

    def resume(self) -> None:
        if self.phase == Phase.LISTENING:
            self.ask()
        else:
            self.read_back()

    def waits_on_time(self) -> bool:
        return self.phase == Phase.LISTENING and self.pending is not None

    def view(self) -> ItemView:
        return ItemView(self.speaker, self.phase, self.kept,
                        self.pending.text if self.pending else "")


class RitualsRunner(StepRunner):
    """Read back the rituals agreed earlier (the review guide)."""

    def enter(self) -> None:
        rituals = self.host.rituals_to_review()
        if not rituals:
            self.host.say(self.fmt("none"), opening=True)
        else:
            if self.step.has("intro"):
                self.host.say(self.fmt("intro"), opening=True)
            for text in rituals:
                self.host.say(self.fmt("item", text=text), opening=True)
        self.host.emit(Listen(None, "command"))

    def on_command(self, name: CommandName) -> None:
        if name in (CommandName.NEXT, CommandName.DONE, CommandName.CONTINUE, CommandName.YES):
            self.host.step_done()


class FollowupRunner(StepRunner):
    """The review's follow-up: read back the plans, then ask whether the shared activity
    happened (yes or no is kept, so the next check-in knows it was asked)."""

    def enter(self) -> None:
        plans = self.host.plans_to_review()
        self.activity = self.host.planned_activity()
        if (plans or self.activity) and self.step.has("intro"):
            self.host.say(self.fmt("intro"), opening=True)
        for text in plans:
            self.host.say(self.fmt("plan", text=text), opening=True)
        if self.activity is None:
            self.host.step_done()
            return
        self.ask()

    def ask(self) -> None:
        assert self.activity is not None
        by = self.activity.by
        self.host.say(self.fmt("activity", text=self.activity.text,
                               date=self.host.spoken_date(by) if by else ""), opening=True)
        self.host.emit(Listen(None, "answer"))

    def on_command(self, name: CommandName) -> None:
        if name not in (CommandName.YES, CommandName.NO):
            self.host.unclear()
            return
        assert self.activity is not None
        happened = name == CommandName.YES
        self.host.save(ActivityCheck(self.activity.id, happened, self.host.active()))
        self.host.say(self.fmt("happened" if happened else "not_happened"))
        self.host.step_done()

    def on_utterance(self, event: Utterance) -> None:
        self.host.unclear()

    def resume(self) -> None:
        self.ask()


class ClosingRunner(StepRunner):
    """Talk-time summary, the next review when rituals were agreed, goodbye.

    Hands-free, the times are each partner's measured speech; typed, nobody spoke, so
    they are the time each partner's turns took (and the step's typed words say so).
    """

    def enter(self) -> None:
        a, b = self.host.partners
        ledger = self.host.ledger
        seconds = ledger.used if self.host.typed else ledger.talk_seconds
        values = {"a_name": a, "b_name": b,
                  "a_time": spoken_duration(seconds(a)),
                  "b_time": spoken_duration(seconds(b))}
        for line in self.fmt_lines("prompts", **values):
            self.host.say(line)
        date = self.host.review_date()
        if date and self.step.has("rituals"):
            self.host.say(self.fmt("rituals", review_date=date))
        self.tip()
        self.host.say(self.fmt("goodbye"))
        self.host.emit(Chime("end"))
        self.host.end("completed")

    def tip(self) -> None:
        """One small habit, a different one each check-in (the journal's count picks it).

        A tip that uses {text} offers tonight's appreciations as messages to send, one per
        appreciation kept; with none kept tonight the next tip is offered instead.
        """
        tips = self.step.lines("tips", self.host.typed)
        if not tips:
            return
        kept = self.host.appreciations_kept()
        start = self.host.habit_index() % len(tips)
        for tip in tips[start:] + tips[:start]:
            if "{text}" not in tip:
                self.host.say(self.host.fill(tip, name="", other=""))
                return
            if kept:
                for a in kept:
                    self.host.say(self.host.fill(tip, name=a.from_partner, other=a.to_partner,
                                                 text=a.text))
                return


RUNNERS: dict[str, type[StepRunner]] = {
    "say": SayRunner,
    "consent": ConsentRunner,
    "turns": TurnsRunner,
    "reflect": ReflectRunner,
    "collect": CollectRunner,
    "rituals": RitualsRunner,
    "followup": FollowupRunner,
    "closing": ClosingRunner,
}
