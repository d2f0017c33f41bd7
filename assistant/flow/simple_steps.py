"""The steps that say, ask and wait: say, an optional step's offer, the consent, the
rituals read back, the review's follow-up and the closing."""

from __future__ import annotations

from enum import Enum

from assistant.flow.events import (
    ActivityCheck,
    Chime,
    CommandName,
    Listen,
    Utterance,
    VoiceConsent,
)
from assistant.flow.kinds import EndReason
from assistant.flow.steps import StepHost, StepRunner
from assistant.flow.turns import spoken_duration
from assistant.guides import Step


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


class ConsentPhase(str, Enum):
    """What the consent step is asking: the check-in's yes, then (only when the couple
    asked for voices to be told apart and has not answered) whether voices may be learned."""

    CHECKIN = "checkin"
    VOICES = "voices"


class ConsentRunner(StepRunner):
    """Both partners say yes, one after the other, or the check-in does not start.

    When the couple asked for their voices to be told apart and has not answered yet
    (the journal says, through the flow's context), each is then asked whether their
    voice may be learned. Every answer is kept; a "no" moves on to the check-in without
    asking the other, and nothing is learned unless both said yes.
    """

    def __init__(self, host: StepHost, step: Step) -> None:
        super().__init__(host, step)
        self.index = 0  # the partner being asked
        self.phase = ConsentPhase.CHECKIN

    def enter(self) -> None:
        self.index, self.phase = 0, ConsentPhase.CHECKIN
        self.ask()

    def ask(self) -> None:
        name = self.host.partners[self.index]
        if self.phase is ConsentPhase.VOICES:
            key = "voice_consent" if self.index == 0 else "voice_consent_other"
            self.host.phrase(key, name=name, other=self.other(name))
            self.host.emit(Listen(name, "answer"))
            return
        self.host.say(self.fmt("prompt", name=name, other=self.other(name)), opening=True)
        self.host.emit(Listen(name, "answer"))

    def on_command(self, name: CommandName) -> None:
        if self.phase is ConsentPhase.VOICES:
            self.on_voice_answer(name)
        elif name == CommandName.YES:
            self.index += 1
            if self.index < 2:
                self.ask()
            elif self.host.asks_voice_consent():
                self.phase, self.index = ConsentPhase.VOICES, 0
                self.ask()
            else:
                self.host.step_done()
        elif name == CommandName.NO:
            self.host.say(self.fmt("declined"))
            self.host.end(EndReason.DECLINED)
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
        self.host.end(EndReason.COMPLETED)

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
