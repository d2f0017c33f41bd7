"""The check-in flow: a `transitions` state machine built from a guide.

States are the guide's steps (in order) plus the holds that can interrupt any of
them: a suggested pause waiting for an answer, the gentle "shall we end?" after
repeated heat, the cool-down itself, and a lost microphone. Leaving a hold returns
to exactly the state it interrupted, and `HoldClock` keeps the step's clocks still
meanwhile, so a turn resumes with the time it had.

The flow is pure: `handle(event)` takes one event (which carries the session's
monotonic time) and returns the actions to carry out. It never reads a clock or
touches audio, speech or files, so a whole check-in runs in a test in milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from transitions import Machine

from assistant.flow.events import (
    Action,
    Chime,
    Command,
    CommandName,
    DeviceBack,
    DeviceLost,
    End,
    Event,
    HeatRecord,
    Listen,
    Outbox,
    Partial,
    PauseEnded,
    PauseStarted,
    PromptsDone,
    Record,
    Ritual,
    Save,
    Say,
    SpeechEnded,
    SpeechStarted,
    StepRecord,
    Tick,
    TurnRecord,
    Utterance,
    VoiceRaised,
)
from assistant.flow.steps import REVIEW_AFTER, RUNNERS, StepRunner
from assistant.flow.turns import HoldClock, TalkLedger, spoken_duration
from assistant.guides import Guide

START, ENDED = "start", "ended"
PAUSE_OFFER, HEAT_CHECK, PAUSED, DEVICE_LOST = "pause_offer", "heat_check", "paused", "device_lost"
HOLDS = (PAUSE_OFFER, HEAT_CHECK, PAUSED, DEVICE_LOST)
RESUME_WORDS = (CommandName.CONTINUE, CommandName.NEXT, CommandName.YES, CommandName.DONE)
# Phrases that ask something: "repeat" says the last of these again.
QUESTIONS = frozenset({"readback_save", "readback_agree", "agree_other", "pause_suggest",
                       "heat_limit", "resume_turn"})


@dataclass(frozen=True)
class FlowContext:
    """What the flow is told at the start instead of looking it up itself."""

    partners: tuple[str, str]
    today: date | None = None  # for the review date spoken at the closing
    next_review: date | None = None  # the journal's next checkpoint (review guide)
    rituals: tuple[str, ...] = ()  # rituals to read back (review guide)
    wait_for_prompts: bool = False  # voice mode: opening prompts hold the clocks until spoken
    resume_at: str | None = None  # step id to start from when resuming an interrupted check-in
    resume_done: int = 0  # turns or confirmed items already finished in that step
    earlier_turns: tuple[TurnRecord, ...] = ()  # turns finished before the interruption
    earlier_heat: int = 0  # heat events before the interruption


@dataclass(frozen=True)
class FlowView:
    """A snapshot for the live view."""

    state: str
    step_id: str
    step_title: str
    step_index: int
    step_count: int
    pause_left: float | None
    heat_count: int
    talk: dict[str, float]
    detail: dict[str, Any] = field(default_factory=dict)


class CheckinFlow:
    """Events in, actions out; the guide decides the steps."""

    # Set by transitions on the model; declared here so type checkers see them.
    state: str
    begin: Callable[[], bool]
    advance: Callable[[], bool]
    offer_pause: Callable[[], bool]
    check_heat: Callable[[], bool]
    pause: Callable[[], bool]
    lose_device: Callable[[], bool]
    stop: Callable[[], bool]
    back: Callable[[], bool]
    device_back: Callable[[], bool]

    def __init__(self, guide: Guide, context: FlowContext,
                 machine_cls: type[Machine] = Machine, **machine_kwargs: Any) -> None:
        if len(context.partners) != 2 or not all(p.strip() for p in context.partners):
            raise ValueError("a check-in needs two partner names")
        self.guide = guide
        self.context = context
        self.partners = context.partners
        self.ledger = TalkLedger(list(context.earlier_turns))
        self.clock = HoldClock()
        self.heat_count = context.earlier_heat
        self._resume_done = context.resume_done if context.resume_at else 0
        self.agreed_rituals = 0
        self.ended_reason: str | None = None
        self._now = 0.0
        self._out = Outbox()
        self._last_prompt: str | None = None
        self._returns: list[str] = []  # states to come back to, innermost last
        self._pause_started = 0.0
        self._pause_reminders = 0
        self._heat_check_from_pause = False
        self._runner: StepRunner | None = None
        self.step_ids = [s.id for s in guide.steps]
        self.machine = machine_cls(
            model=self,
            states=[START, *self.step_ids, *HOLDS, ENDED],
            transitions=self._transitions(),
            initial=START,
            auto_transitions=False,
            queued=True,
            **machine_kwargs,
        )

    # ------------------------------------------------------------ the table

    def _transitions(self) -> list[dict[str, Any]]:
        steps = self.step_ids
        table: list[dict[str, Any]] = [{"trigger": "begin", "source": START, "dest": steps[0]}]
        if self.context.resume_at in steps:
            table = [{"trigger": "begin", "source": START, "dest": self.context.resume_at}]
        for here, there in zip(steps, [*steps[1:], ENDED], strict=True):
            table.append({"trigger": "advance", "source": here, "dest": there})
        table += [
            {"trigger": "offer_pause", "source": steps, "dest": PAUSE_OFFER},
            {"trigger": "check_heat", "source": steps, "dest": HEAT_CHECK},
            {"trigger": "pause", "source": [*steps, PAUSE_OFFER, HEAT_CHECK], "dest": PAUSED},
            {"trigger": "lose_device", "source": [*steps, PAUSE_OFFER, HEAT_CHECK, PAUSED],
             "dest": DEVICE_LOST},
            {"trigger": "stop", "source": [START, *steps, *HOLDS], "dest": ENDED},
        ]
        for dest in steps:
            table.append({"trigger": "back", "source": [PAUSE_OFFER, HEAT_CHECK, PAUSED],
                          "dest": dest, "conditions": partial(self._returns_to, dest)})
        for dest in [*steps, PAUSE_OFFER, HEAT_CHECK, PAUSED]:
            table.append({"trigger": "device_back", "source": DEVICE_LOST, "dest": dest,
                          "conditions": partial(self._returns_to, dest)})
        return table

    def _returns_to(self, state: str) -> bool:
        return bool(self._returns) and self._returns[-1] == state

    # ------------------------------------------------------------- the host

    def active(self) -> float:
        return self.clock.active(self._now)

    def say(self, text: str, repeatable: bool = True, opening: bool = False) -> None:
        self._out.add(Say(text, repeatable))
        if repeatable:
            self._last_prompt = text
        if opening and self.context.wait_for_prompts:
            self.clock.hold("prompt", self._now)

    def phrase(self, key: str, **values: str) -> None:
        values.setdefault("pause", spoken_duration(self.guide.settings.pause_seconds))
        self.say(self.guide.phrases[key].format(**values), repeatable=key in QUESTIONS)

    def emit(self, action: Action) -> None:
        self._out.add(action)

    def save(self, record: Record) -> None:
        if isinstance(record, Ritual):
            self.agreed_rituals += 1
        self._out.add(Save(record))

    def step_done(self) -> None:
        self.advance()
        if self.state == ENDED:
            self.end("completed")
        else:
            self._enter_step()

    def end(self, reason: str) -> None:
        if self.ended_reason is not None:
            return
        if self.state != ENDED:
            self.stop()
        self.ended_reason = reason
        self._out.add(End(reason))

    def review_date(self) -> str:
        if self.context.next_review is not None:
            return _spoken_date(self.context.next_review)
        if self.agreed_rituals and self.context.today is not None:
            return _spoken_date(self.context.today + REVIEW_AFTER)
        return ""

    def rituals_to_review(self) -> tuple[str, ...]:
        return self.context.rituals

    def take_resume_progress(self) -> int:
        """How much of the first step was done before an interruption (once, then 0)."""
        done, self._resume_done = self._resume_done, 0
        return done

    # --------------------------------------------------------------- events

    @property
    def ended(self) -> bool:
        return self.ended_reason is not None

    def handle(self, event: Event) -> list[Action]:
        """Consume one event; return the actions it causes, in order."""
        self._now = max(self._now, event.now)
        if self.ended:
            return []
        if self.state == START:
            self.begin()
            self._enter_step()
        if isinstance(event, Tick):
            self._tick()
        elif isinstance(event, PromptsDone):
            self.clock.release("prompt", self._now)
        elif isinstance(event, Command):
            self._command(event.name)
        elif isinstance(event, Utterance):
            if self.state in self.step_ids and self._runner is not None:
                self._runner.on_utterance(event)
        elif isinstance(event, (SpeechStarted, SpeechEnded)):
            if self.state in self.step_ids and self._runner is not None:
                seconds = event.seconds if isinstance(event, SpeechEnded) else 0.0
                self._runner.on_speech(isinstance(event, SpeechStarted), seconds)
        elif isinstance(event, VoiceRaised):
            if self.state in self.step_ids:
                self._heat("voice", event.level_db, event.baseline_db)
        elif isinstance(event, DeviceLost):
            self._lose_device()
        elif isinstance(event, DeviceBack):
            self._device_back()
        elif isinstance(event, Partial):
            pass  # captions are for the live view only
        return self._out.take()

    def _enter_step(self) -> None:
        step = self.guide.steps[self.step_ids.index(self.state)]
        self._out.add(Save(StepRecord(step.id, self.step_ids.index(step.id), self.active())))
        self._runner = RUNNERS[step.kind](self, step)
        self._runner.enter()

    def _tick(self) -> None:
        if self.state in self.step_ids and self._runner is not None:
            if not self.clock.is_held():
                self._runner.tick()
        elif self.state == PAUSED:
            self._pause_tick()

    def _command(self, name: CommandName) -> None:
        if name == CommandName.STOP:
            self._stop()
        elif name == CommandName.REPEAT:
            if self._last_prompt:
                self._out.add(Say(self._last_prompt, True))
        elif self.state in self.step_ids:
            if name == CommandName.PAUSE:
                self._heat("pause")
            elif self._runner is not None:
                self._runner.on_command(name)
        elif self.state == PAUSE_OFFER:
            if name in (CommandName.YES, CommandName.PAUSE):
                self._start_pause()
            elif name in (CommandName.NO, CommandName.CONTINUE, CommandName.NEXT):
                self.phrase("pause_declined")
                self._leave_hold()
            else:
                self.phrase("yes_or_no")
        elif self.state == HEAT_CHECK:
            if name == CommandName.YES:
                self._finish("heat_end", "heat")
            elif name in (CommandName.NO, CommandName.CONTINUE):
                self.phrase("heat_continue")
                if self._heat_check_from_pause:
                    self._start_pause()
                else:
                    self._leave_hold()
            else:
                self.phrase("yes_or_no")
        elif self.state == PAUSED and name in RESUME_WORDS:
            self._end_pause()

    # ------------------------------------------------------ holds and heat

    def _enter_hold(self, trigger: str) -> None:
        if self.state not in HOLDS:
            self.clock.hold("hold", self._now)
        self._returns.append(self.state)
        getattr(self, trigger)()

    def _leave_hold(self) -> None:
        self.back()
        self._returns.pop()
        if self.state in self.step_ids:
            self.clock.release("hold", self._now)
            if self._runner is not None:
                self._runner.resume()

    def _heat(self, kind: str, level: float | None = None, baseline: float | None = None) -> None:
        self.heat_count += 1
        step_id = self.state
        self._out.add(Save(HeatRecord(kind, self.active(), step_id, level, baseline)))
        if self.heat_count >= self.guide.settings.heat_limit:
            self._heat_check_from_pause = kind == "pause"
            self._enter_hold("check_heat")
            self._out.add(Chime("pause"))
            self.phrase("heat_limit")
            self._out.add(Listen(None, "answer"))
        elif kind == "pause":
            self._enter_hold("pause")
            self._pause_begins()
        else:
            self._enter_hold("offer_pause")
            self._out.add(Chime("pause"))
            self.phrase("pause_suggest")
            self._out.add(Listen(None, "answer"))

    def _start_pause(self) -> None:
        """From a question (offer or heat check) into the cool-down."""
        self.pause()  # the question's return target stays: the step it interrupted
        self._pause_begins()

    def _pause_begins(self) -> None:
        self._pause_started = self._now
        self._pause_reminders = 0
        seconds = self.guide.settings.pause_seconds
        self._out.add(PauseStarted(seconds))
        self._out.add(Chime("pause"))
        self.phrase("pause_start")
        self.phrase("breathing")
        self._out.add(Listen(None, "command"))

    def _pause_tick(self) -> None:
        settings = self.guide.settings
        elapsed = self._now - self._pause_started
        if elapsed >= settings.pause_seconds:
            self._end_pause()
            return
        due = int(elapsed // settings.breathing_seconds)
        if due > self._pause_reminders:
            self._pause_reminders = due
            left = settings.pause_seconds - elapsed
            self.phrase("pause_almost" if left <= 60 else "breathing")

    def _end_pause(self) -> None:
        self._out.add(PauseEnded())
        self._out.add(Chime("turn"))
        self.phrase("resume")
        self._leave_hold()

    def waits_on_time(self) -> bool:
        """True while the flow will move on by itself (a running turn, a pause)."""
        if self.state == PAUSED:
            return True
        runner = self._runner
        return self.state in self.step_ids and runner is not None and runner.waits_on_time()

    def pause_left(self) -> float | None:
        if self.state != PAUSED and not (self.state == DEVICE_LOST and PAUSED in self._returns):
            return None
        return max(0.0, self.guide.settings.pause_seconds - (self._now - self._pause_started))

    def _lose_device(self) -> None:
        if self.state in (DEVICE_LOST, START) or self.ended:
            return
        self._enter_hold("lose_device")
        self.phrase("device_lost")

    def _device_back(self) -> None:
        if self.state != DEVICE_LOST:
            return
        self.device_back()
        self._returns.pop()
        self.phrase("device_back")
        if self.state in self.step_ids:
            self.clock.release("hold", self._now)
            if self._runner is not None:
                self._runner.resume()
        elif self.state == PAUSED:
            self._pause_tick()
        elif self._last_prompt:
            self._out.add(Say(self._last_prompt, True))
    def _stop(self) -> None:
        self._finish("stop", "stopped")

    def _finish(self, phrase: str, reason: str) -> None:
        """End early from anywhere, keeping the interrupted step's numbers."""
        interrupted = self._returns[0] if self._returns else self.state
        if interrupted in self.step_ids and self._runner is not None:
            self._runner.stop()
        self.phrase(phrase)
        self.end(reason)

    # ---------------------------------------------------------------- view

    def view(self) -> FlowView:
        step_state = self._returns[0] if self._returns else self.state
        index = self.step_ids.index(step_state) if step_state in self.step_ids else -1
        step = self.guide.steps[index] if index >= 0 else None
        return FlowView(
            state=self.state,
            step_id=step.id if step else self.state,
            step_title=step.title if step else self.state,
            step_index=index,
            step_count=len(self.step_ids),
            pause_left=self.pause_left(),
            heat_count=self.heat_count,
            talk={p: self.ledger.talk_seconds(p) for p in self.partners},
            detail=self._runner.status() if self._runner is not None and step else {},
        )


def _spoken_date(day: date) -> str:
    return f"{day:%A}, {day:%B} {day.day}"


def mermaid_diagram(guide: Guide) -> str:
    """The guide's state machine drawn by transitions itself, as a Mermaid diagram."""
    from transitions.extensions import GraphMachine

    flow = CheckinFlow(guide, FlowContext(("A", "B")), machine_cls=GraphMachine,
                       graph_engine="mermaid", show_conditions=False,
                       title=f"checkin: {guide.title}")
    graph = flow.get_graph()  # type: ignore[attr-defined]
    return str(graph.draw(None))
