"""What happens while the check-in is on hold: the runners beside the step runners.

A hold interrupts the step (a suggested pause waiting for its answer, the gentle
"shall we end?" after repeated heat, the cool-down, a lost microphone) and gives
control back to exactly where it was. The flow keeps the holds on a stack, the
innermost on top; only the top one hears commands and ticks. Like the step runners
they only talk to their host, never to audio, files or a clock.
"""

from __future__ import annotations

from typing import Protocol

from assistant.flow.events import (
    Action,
    Chime,
    CommandName,
    Listen,
    PauseEnded,
    PauseStarted,
)
from assistant.flow.kinds import EndReason
from assistant.flow.states import Hold
from assistant.guides import GuideSettings

# What ends a pause early: "continue", or anything that means "let's go on".
RESUME_WORDS = (CommandName.CONTINUE, CommandName.NEXT, CommandName.YES, CommandName.DONE)


class HoldHost(Protocol):
    """What a hold may ask of the flow."""

    @property
    def settings(self) -> GuideSettings: ...
    @property
    def now(self) -> float: ...
    def phrase(self, key: str, **values: str) -> None: ...
    def emit(self, action: Action) -> None: ...
    def unclear(self) -> None: ...
    def say_again(self) -> None: ...
    def release(self) -> None: ...
    def replace_hold(self, hold: HoldRunner) -> None: ...
    def finish(self, phrase: str, reason: EndReason) -> None: ...


class HoldRunner:
    """Base: a hold that waits for its host to end it."""

    state: Hold

    def __init__(self, host: HoldHost) -> None:
        self.host = host

    def enter(self) -> None:
        """The hold begins."""

    def on_command(self, name: CommandName) -> None:
        """A command while this hold is on top."""

    def tick(self) -> None:
        """Time passed (real time: holds are what stands the steps' clocks still)."""

    def resume(self) -> None:
        """A hold above this one (a lost microphone) has ended."""

    def waits_on_time(self) -> bool:
        return False


class PauseOffer(HoldRunner):
    """Voices rose: "Would you like a short pause?" yes starts it, no goes back."""

    state = Hold.PAUSE_OFFER

    def enter(self) -> None:
        self.host.emit(Chime("pause"))
        self.host.phrase("pause_suggest")
        self.host.emit(Listen(None, "answer"))

    def on_command(self, name: CommandName) -> None:
        if name in (CommandName.YES, CommandName.PAUSE):
            self.host.replace_hold(Paused(self.host))
        elif name in (CommandName.NO, CommandName.CONTINUE, CommandName.NEXT):
            self.host.phrase("pause_declined")
            self.host.release()
        else:
            self.host.unclear()

    def resume(self) -> None:
        self.host.say_again()


class HeatCheck(HoldRunner):
    """The heat limit was reached: suggest ending gently; going on keeps the pause asked for."""

    state = Hold.HEAT_CHECK

    def __init__(self, host: HoldHost, asked_for_pause: bool) -> None:
        super().__init__(host)
        self.asked_for_pause = asked_for_pause

    def enter(self) -> None:
        self.host.emit(Chime("pause"))
        self.host.phrase("heat_limit")
        self.host.emit(Listen(None, "answer"))

    def on_command(self, name: CommandName) -> None:
        if name == CommandName.YES:
            self.host.finish("heat_end", EndReason.HEAT)
        elif name in (CommandName.NO, CommandName.CONTINUE):
            self.host.phrase("heat_continue")
            if self.asked_for_pause:
                self.host.replace_hold(Paused(self.host))
            else:
                self.host.release()
        else:
            self.host.unclear()

    def resume(self) -> None:
        self.host.say_again()


class Paused(HoldRunner):
    """The cool-down: breathing prompts, then back to the same step with its time."""

    state = Hold.PAUSED

    def enter(self) -> None:
        self.started = self.host.now
        self.reminders = 0
        self.host.emit(PauseStarted(self.host.settings.pause_seconds))
        self.host.emit(Chime("pause"))
        self.host.phrase("pause_start")
        self.host.phrase("breathing")
        self.host.emit(Listen(None, "command"))

    def left(self) -> float:
        return max(0.0, self.host.settings.pause_seconds - (self.host.now - self.started))

    def tick(self) -> None:
        settings = self.host.settings
        elapsed = self.host.now - self.started
        if elapsed >= settings.pause_seconds:
            self.end()
            return
        due = int(elapsed // settings.breathing_seconds)
        if due > self.reminders:
            self.reminders = due
            self.host.phrase("pause_almost" if self.left() <= 60 else "breathing")

    def on_command(self, name: CommandName) -> None:
        if name in RESUME_WORDS:
            self.end()

    def end(self) -> None:
        self.host.emit(PauseEnded())
        self.host.emit(Chime("turn"))
        self.host.phrase("resume")
        self.host.release()

    def resume(self) -> None:
        self.tick()  # the cool-down went on while the microphone was away

    def waits_on_time(self) -> bool:
        return True


class MicrophoneLost(HoldRunner):
    """The microphone went away (a `DeviceLost` event): everything holds until it is back."""

    state = Hold.MICROPHONE_LOST

    def enter(self) -> None:
        self.host.phrase("device_lost")
