"""The check-in flow: a `transitions` state machine built from a guide.

States are the guide's steps (in order) plus the holds that can interrupt any of
them (assistant/flow/states.py): a suggested pause waiting for an answer, the gentle
"shall we end?" after repeated heat, the cool-down itself, and a lost microphone.
What happens inside a step is its runner's business (runners.py), inside a hold its
hold runner's (holds.py); this module routes events to whichever is on top and keeps
the table of which state may follow which. The table drives: each way into a hold and
back out of it is a named trigger (`HOLD_TRIGGERS`), and the transitions' callbacks
enter the step's runner, the hold's runner, or resume what a hold interrupted. Leaving a
hold returns to exactly the state it interrupted, and `HoldClock` keeps the step's
clocks still meanwhile, so a turn resumes with the time it had.

The flow is pure: `handle(event)` takes one event (which carries the session's
monotonic time) and returns the actions to carry out. It never reads a clock or
touches audio, speech or files, so a whole check-in runs in a test in milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any, cast

from transitions import Machine, MachineError

from assistant.flow.context import FlowContext, FlowView
from assistant.flow.events import (
    ACTIVITY_WITHIN,
    Action,
    Appreciation,
    Command,
    CommandName,
    DeviceBack,
    DeviceLost,
    End,
    Event,
    HeatRecord,
    ListeningFailed,
    Loved,
    Outbox,
    Partial,
    PlannedActivity,
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
    VoiceAttributed,
    VoiceRaised,
)
from assistant.flow.gentle import GentleWords
from assistant.flow.holds import HeatCheck, HoldRunner, MicrophoneLost, Paused, PauseOffer
from assistant.flow.kinds import EndReason, ItemKind, StepKind, names
from assistant.flow.runners import RUNNERS, OfferRunner
from assistant.flow.states import HOLD_TRIGGERS, Edge, Hold
from assistant.flow.steps import REVIEW_AFTER, StepRunner, StepView, TurnView
from assistant.flow.turns import HoldClock, TalkLedger, spoken_duration
from assistant.flow.wording import fill
from assistant.guides import Guide, GuideSettings

# Phrases that ask something: "repeat" says the last of these again.
QUESTIONS = frozenset({"readback_save", "readback_agree", "agree_other", "pause_suggest",
                       "heat_limit", "resume_turn", "voice_consent", "voice_consent_other"})
# An unclear answer gets "Please say yes, or no." this many times in a row; after that
# the flow waits quietly and the view shows what to say or press.
MAX_REPROMPTS = 1


class CheckinFlow:
    """Events in, actions out; the guide decides the steps."""

    # Set by transitions on the model; declared here so type checkers see them (the
    # holds' named triggers are reached by name: `HOLD_TRIGGERS`).
    state: str
    begin: Callable[[], bool]
    advance: Callable[[], bool]
    stop: Callable[[], bool]

    def __init__(self, guide: Guide, context: FlowContext,
                 machine_cls: type[Machine] = Machine, **machine_kwargs: Any) -> None:
        if len(context.partners) != 2 or not all(p.strip() for p in context.partners):
            raise ValueError("a check-in needs two partner names")
        _check_kinds(guide)
        self.guide = guide
        self.context = context
        self.partners = context.partners
        self.typed = context.typed
        self.ledger = TalkLedger(list(context.earlier_turns))
        self.clock = HoldClock()
        self.heat_count = context.earlier_heat
        self._resume_done = context.resume_done if context.resume_at else 0
        self.agreed_rituals = 0
        self.kept_appreciations: list[Appreciation] = []
        self.kept_loved: dict[str, str] = dict(context.loved)
        self.gentle = GentleWords(guide.language, context.gentle_words,
                                  {t.partner for t in context.earlier_turns if t.blame})
        self.ended_reason: EndReason | None = None
        self._now = 0.0
        self._out = Outbox()
        self._last_prompt: str | None = None
        self._unclear = 0  # unclear answers in a row to the current question
        self._reprompt_unheard = False  # a reprompt is queued and not yet heard to its end
        self._waiting_for: str | None = None
        self._runner: StepRunner | None = None  # the current step's
        self._holds: list[HoldRunner] = []  # what interrupts it, innermost last
        self.step_ids = [s.id for s in guide.steps]
        self.machine = machine_cls(
            model=self,
            states=[Edge.START.value, *self.step_ids, *(h.value for h in Hold),
                    Edge.ENDED.value],
            transitions=self._transitions(),
            initial=Edge.START.value,
            auto_transitions=False,
            **machine_kwargs,
        )

    # ------------------------------------------------------------ the table

    def _transitions(self) -> list[dict[str, Any]]:
        """Every move, with the callback that carries it out: entering a step's runner,
        a hold's runner, or resuming what a hold interrupted."""
        steps = self.step_ids
        start, ended = Edge.START.value, Edge.ENDED.value
        first = self.context.resume_at if self.context.resume_at in steps else steps[0]
        table: list[dict[str, Any]] = [
            {"trigger": "begin", "source": start, "dest": first, "after": "_enter_step"}]
        for here, there in zip(steps, [*steps[1:], ended], strict=True):
            table.append({"trigger": "advance", "source": here, "dest": there,
                          "after": "_completed" if there == ended else "_enter_step"})
        questions = [Hold.PAUSE_OFFER.value, Hold.HEAT_CHECK.value]
        # where each hold can begin, which is also where it can go back to; a pause can
        # also replace a question about pausing (and then goes back to the step)
        holds = {Hold.PAUSE_OFFER: steps, Hold.HEAT_CHECK: steps, Hold.PAUSED: steps,
                 Hold.MICROPHONE_LOST: [*steps, *questions, Hold.PAUSED.value]}
        for hold, sources in holds.items():
            into, back = HOLD_TRIGGERS[hold]
            extra = questions if hold is Hold.PAUSED else []
            table.append({"trigger": into, "source": [*sources, *extra], "dest": hold.value,
                          "after": "_enter_hold"})
            for dest in sources:
                table.append({"trigger": back, "source": hold.value, "dest": dest,
                              "conditions": partial(self._returns_to, dest),
                              "after": "_resume"})
        table.append({"trigger": "stop", "source": [start, *steps, *(h.value for h in Hold)],
                      "dest": ended})
        return table

    def _returns_to(self, state: str) -> bool:
        """A hold goes back to what it interrupted: the hold below it, else the step."""
        if self._holds:
            return self._holds[-1].state.value == state
        return self._runner is not None and self._runner.step.id == state

    def _fire(self, trigger: str, dest: str) -> None:
        """Fire a named trigger towards `dest`; a move the table does not allow raises."""
        before = self.state
        try:
            moved = cast(Callable[[], bool], getattr(self, trigger))()
        except MachineError:
            moved = False
        if not moved:
            raise MachineError(f"no way from {before!r} to {dest!r} ({trigger})")

    # ------------------------------------------------------------- the host

    @property
    def settings(self) -> GuideSettings:
        return self.guide.settings

    @property
    def now(self) -> float:
        return self._now

    def active(self) -> float:
        return self.clock.active(self._now)

    def asks_voice_consent(self) -> bool:
        return self.context.ask_voice_consent

    def say(self, text: str, repeatable: bool = True, opening: bool = False) -> None:
        self._unclear, self._waiting_for = 0, None  # something new was asked or said
        self._out.add(Say(text, repeatable))
        if repeatable:
            self._last_prompt = text
        if opening and self.context.wait_for_prompts:
            self.clock.hold("prompt", self._now)

    def fill(self, template: str, **values: str) -> str:
        """A guide sentence filled in, with {say}/{Say} in this check-in's words."""
        verb = self.guide.verb(self.typed)
        return fill(template, say=verb, Say=verb[:1].upper() + verb[1:], **values)

    def say_again(self) -> None:
        """The last question once more (after "repeat", or when a hold ends)."""
        if self._last_prompt:
            self.say(self._last_prompt)

    def phrase(self, key: str, **values: str) -> None:
        values.setdefault("pause", spoken_duration(self.guide.settings.pause_seconds))
        self.say(self.fill(self.guide.phrases[key], **values), repeatable=key in QUESTIONS)

    def unclear(self) -> None:
        """An answer that is none of those asked for: ask once more, then wait quietly.

        What is heard while the reprompt is still being spoken is never answered: it is
        the reprompt's own echo, or someone talking over it, and answering it again is
        how an assistant ends up talking to itself.
        """
        if self._reprompt_unheard:
            return
        if self._unclear >= MAX_REPROMPTS:
            self._waiting_for = "yes_or_no"
            return
        unclear = self._unclear + 1
        self.phrase("yes_or_no")
        self._unclear = unclear
        self._reprompt_unheard = self.context.wait_for_prompts

    def emit(self, action: Action) -> None:
        self._out.add(action)

    def save(self, record: Record) -> None:
        match record:
            case Ritual():
                self.agreed_rituals += 1
            case Appreciation():
                self.kept_appreciations.append(record)
            case Loved(partner=partner, text=text):
                self.kept_loved[partner] = text
        self._out.add(Save(record))

    def step_done(self) -> None:
        self.advance()  # enters the next step's runner, or completes the check-in

    def _completed(self) -> None:
        self.end(EndReason.COMPLETED)

    def end(self, reason: EndReason) -> None:
        if self.ended_reason is not None:
            return
        if self.state != Edge.ENDED:
            self.stop()
        self._holds.clear()
        self.ended_reason = reason
        self._out.add(End(reason))

    def finish(self, phrase: str, reason: EndReason) -> None:
        """End early from anywhere, keeping the interrupted step's numbers."""
        if self._runner is not None:
            self._runner.stop()
        self.phrase(phrase)
        self.end(reason)

    def review_date(self) -> str:
        if self.context.next_review is not None:
            return _spoken_date(self.context.next_review)
        if self.agreed_rituals and self.context.today is not None:
            return _spoken_date(self.context.today + REVIEW_AFTER)
        return ""

    def spoken_date(self, day: date) -> str:
        return _spoken_date(day)

    def activity_by(self) -> date | None:
        """The date a shared activity agreed today is planned by (None: today unknown)."""
        return self.context.today + ACTIVITY_WITHIN if self.context.today else None

    def rituals_to_review(self) -> tuple[str, ...]:
        return self.context.rituals

    def plans_to_review(self) -> tuple[str, ...]:
        return self.context.plans

    def planned_activity(self) -> PlannedActivity | None:
        return self.context.activity

    def habit_index(self) -> int:
        return self.context.habit_index

    def appreciations_kept(self) -> list[Appreciation]:
        return list(self.kept_appreciations)

    def loved(self) -> list[tuple[str, str]]:
        """How each partner feels loved: said tonight, else kept in an earlier check-in."""
        return [(p, self.kept_loved[p]) for p in self.partners if p in self.kept_loved]

    def begin_offered(self, runner: StepRunner) -> None:
        """An optional step was accepted: its own runner takes over the same state."""
        self._runner = runner
        runner.enter()

    def take_resume_progress(self) -> int:
        """How much of the first step was done before an interruption (once, then 0)."""
        done, self._resume_done = self._resume_done, 0
        return done

    # ----------------------------------------------------------------- holds

    def enter_hold(self, hold: HoldRunner) -> None:
        """Interrupt whatever is on top; the step's clocks stand still until released."""
        if not self._holds:
            self.clock.hold("hold", self._now)
        self._holds.append(hold)
        try:
            self._fire(HOLD_TRIGGERS[hold.state][0], hold.state.value)
        except MachineError:
            self._holds.pop()
            raise

    def replace_hold(self, hold: HoldRunner) -> None:
        """The hold on top becomes another one (an accepted pause replaces its question)."""
        replaced, self._holds[-1] = self._holds[-1], hold
        try:
            self._fire(HOLD_TRIGGERS[hold.state][0], hold.state.value)
        except MachineError:
            self._holds[-1] = replaced
            raise

    def _enter_hold(self) -> None:
        self._holds[-1].enter()

    def release(self) -> None:
        """The hold on top ends: back to what it interrupted, which carries on."""
        leaving = self._holds.pop()
        assert self._runner is not None, "a hold always interrupts a step"
        dest = self._holds[-1].state.value if self._holds else self._runner.step.id
        self._fire(HOLD_TRIGGERS[leaving.state][1], dest)

    def _resume(self) -> None:
        if self._holds:
            self._holds[-1].resume()
            return
        assert self._runner is not None
        self.clock.release("hold", self._now)
        self._runner.resume()

    def _heat(self, kind: str, level: float | None = None, baseline: float | None = None) -> None:
        self.heat_count += 1
        self._out.add(Save(HeatRecord(kind, self.active(), self.state, level, baseline)))
        if self.heat_count >= self.guide.settings.heat_limit:
            self.enter_hold(HeatCheck(self, asked_for_pause=kind == "pause"))
        elif kind == "pause":
            self.enter_hold(Paused(self))
        else:
            self.enter_hold(PauseOffer(self))

    # --------------------------------------------------------------- events

    @property
    def ended(self) -> bool:
        return self.ended_reason is not None

    def handle(self, event: Event) -> list[Action]:
        """Consume one event; return the actions it causes, in order."""
        self._now = max(self._now, event.now)
        if self.ended:
            return []
        if self.state == Edge.START:
            self.begin()  # enters the first step's runner
        top = self._holds[-1] if self._holds else None
        step = self._runner if top is None else None  # a step hears nothing while on hold
        match event:
            case Tick():
                if top is not None:
                    top.tick()
                elif step is not None and not self.clock.is_held():
                    step.tick()
            case PromptsDone():
                self.clock.release("prompt", self._now)
                self._reprompt_unheard = False
            case Command(name=name):
                self._command(name, top, step)
            case Utterance() if step is not None:
                step.on_utterance(event)
            case SpeechStarted(audio_time=at) if step is not None:
                step.on_speech(True, 0.0, at)
            case SpeechEnded(seconds=seconds, audio_time=at) if step is not None:
                step.on_speech(False, seconds, at)
            case VoiceAttributed() if step is not None:  # said during a hold: nobody's turn
                step.on_voice(event)
            case VoiceRaised(level_db=level, baseline_db=baseline) if step is not None:
                self._heat("voice", level, baseline)
            case DeviceLost() if not isinstance(top, MicrophoneLost):
                self.enter_hold(MicrophoneLost(self))
            case DeviceBack() if isinstance(top, MicrophoneLost):
                self.phrase("device_back")
                self.release()
            case ListeningFailed():
                self.finish("stop", EndReason.ERROR)
            case Partial():
                pass  # captions are for the live view only
            case _:
                pass  # nobody to hear it: a step's event during a hold, a repeated loss
        return self._out.take()

    def _enter_step(self) -> None:
        step = self.guide.steps[self.step_ids.index(self.state)]
        self._out.add(Save(StepRecord(step.id, self.step_ids.index(step.id), self.active())))
        runner = RUNNERS[step.kind]
        if step.optional and not self._resume_done:  # resumed part-way: it was accepted
            self._runner = OfferRunner(self, step, runner)
        else:
            self._runner = runner(self, step)
        self._runner.enter()

    def _command(self, name: CommandName, top: HoldRunner | None,
                 step: StepRunner | None) -> None:
        if name == CommandName.STOP:
            self.finish("stop", EndReason.STOPPED)
        elif name == CommandName.REPEAT:
            self.say_again()
        elif top is not None:
            top.on_command(name)
        elif name == CommandName.PAUSE:
            self._heat("pause")
        elif step is not None:
            step.on_command(name)

    def waits_on_time(self) -> bool:
        """True while the flow will move on by itself (a running turn, a pause)."""
        if self._holds:
            return self._holds[-1].waits_on_time()
        return self._runner is not None and not self.ended and self._runner.waits_on_time()

    def pause_left(self) -> float | None:
        paused = next((h for h in self._holds if isinstance(h, Paused)), None)
        return paused.left() if paused is not None else None

    # ---------------------------------------------------------------- view

    def view(self) -> FlowView:
        runner = self._runner if not self.ended else None
        step = runner.step if runner is not None else None
        index = self.step_ids.index(step.id) if step is not None else -1
        activity = runner.view() if runner is not None else None
        return FlowView(
            state=self.state,
            step_id=step.id if step else self.state,
            step_title=step.title if step else self.state,
            step_index=index,
            step_count=len(self.step_ids),
            pause_left=self.pause_left(),
            heat_count=self.heat_count,
            talk=self._talk(activity),
            activity=activity,
            waiting_for=self._waiting_for,
            pause_length=self.guide.settings.pause_seconds,
        )

    def _talk(self, activity: StepView) -> dict[str, float]:
        """Each partner's talk so far with the open turn counted, by the ledger's own
        rule, so the live balance moves during a turn and not only when it ends (the
        time taken, in a typed check-in)."""
        ledger = self.ledger
        if isinstance(activity, TurnView):
            used = max(0.0, activity.allotted - activity.remaining)
            open_turn = TurnRecord(self.state, activity.speaker, activity.allotted, used,
                                   activity.speech, "open", activity.listener_speech)
            ledger = TalkLedger([*ledger.turns, open_turn])
        if self.typed:  # typed: the time each partner took, never speech
            return {p: ledger.used(p) for p in self.partners}
        return {p: ledger.talk_seconds(p) for p in self.partners}


def _check_kinds(guide: Guide) -> None:
    """A step the registry does not know never reaches a runner (the guides' validator
    refuses it first; this catches a `Step` built by hand)."""
    for step in guide.steps:
        if step.kind not in set(StepKind):
            raise ValueError(f"step {step.id!r}: unknown step kind {step.kind!r}; expected "
                             f"one of {names(StepKind)}")
        if step.kind is StepKind.COLLECT and step.item not in set(ItemKind):
            raise ValueError(f"step {step.id!r}: unknown item kind {step.item!r}; expected "
                             f"one of {names(ItemKind)}")


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
