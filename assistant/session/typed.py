"""The typed check-in: the real flow and real timers, with a keyboard for a microphone.

Prompts are printed (and spoken when a speech engine is given); partners type what
they would say, and commands as words ("I'm done", "pause", "save it"). It works
with standard input piped from a file: each line is one thing said. When a piped
input ends, the check-in keeps running while something is timed (a turn, a pause) and
stops, saving what was confirmed, once it would only wait for words that cannot come.
On a terminal, end of input is a person pressing Ctrl-D: the check-in stops then and
there, keeping what was saved, rather than running out turns nobody can end any more.

Everything typed is stored as given; bytes that are not text arrive as visible escapes
(assistant/text.py), and every line printed shows people's words through `visible`.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO

from assistant.flow.events import (
    Action,
    Command,
    CommandName,
    End,
    EndTurn,
    Event,
    Listen,
    PauseStarted,
    PromptsDone,
    Say,
    StartTurn,
    Tick,
    Utterance,
)
from assistant.flow.kinds import EndReason
from assistant.flow.machine import CheckinFlow
from assistant.flow.turns import spoken_duration
from assistant.phrases import parse_typed
from assistant.text import as_text, visible

TICK_SECONDS = 0.1


@dataclass
class TextIO:
    """Where the typed check-in reads and writes (a terminal, or pipes in tests)."""

    read: IO[str]
    write: IO[str]
    terminal: bool = False  # the input is a person at a terminal (Ctrl-D ends it), not a file


class TextCheckin:
    """Runs one flow to its end against typed input."""

    def __init__(self, flow: CheckinFlow, io: TextIO,
                 on_action: Callable[[Action], None] | None = None,
                 on_utterance: Callable[[str | None, str], None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.flow = flow
        self.io = io
        self.on_action = on_action or (lambda action: None)
        self.on_utterance = on_utterance or (lambda partner, text: None)
        self.clock = clock
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.listening: Listen | None = None
        self.input_ended = False

    def _reader(self) -> None:
        for line in self.io.read:
            self.lines.put(as_text(line.rstrip("\n")))
        self.lines.put(None)

    def run(self) -> EndReason:
        """Run until the flow ends; returns its end reason."""
        threading.Thread(target=self._reader, name="typed-input", daemon=True).start()
        self._feed(Tick(self.clock()))
        while not self.flow.ended:
            try:
                line = self.lines.get(timeout=TICK_SECONDS)
            except queue.Empty:
                line = ""
                if self.input_ended and not self.flow.waits_on_time():
                    self._write("(input ended: stopping and keeping what was saved)")
                    self._feed(Command(self.clock(), CommandName.STOP))
                    break
            else:
                if line is None:
                    self.input_ended = True
                    if self.io.terminal:  # Ctrl-D: nobody can type "I'm done" any more
                        self._write("(end of input: stopping and keeping what was saved)")
                        self._feed(Command(self.clock(), CommandName.STOP))
                        break
                    continue
            now = self.clock()
            for event in self._events(line, now):
                self._feed(event)
            self._feed(Tick(self.clock()))
        return self.flow.ended_reason or EndReason.STOPPED

    def _events(self, line: str, now: float) -> Iterable[Command | Utterance]:
        text = line.strip()
        if not text:
            return []
        command = parse_typed(text, self.flow.guide.language)
        if command is not None:
            return [Command(now, command)]
        partner = self.listening.partner if self.listening else None
        self.on_utterance(partner, text)
        events: list[Command | Utterance] = [Utterance(now, text, now, now)]
        if self.listening is not None and self.listening.mode == "item":
            events.append(Command(now, CommandName.DONE))  # a typed line is a whole thought
        return events

    def _feed(self, event: Event) -> None:
        actions = self.flow.handle(event)
        self._perform(actions)
        if any(isinstance(a, Say) for a in actions):  # printed is as good as spoken
            self._perform(self.flow.handle(PromptsDone(self.clock())))

    def _perform(self, actions: list[Action]) -> None:
        for action in actions:
            self.on_action(action)
            match action:
                case Say(text=text):
                    self._write(f"checkin: {text}")
                case StartTurn(partner=partner, seconds=seconds):
                    self._write(f"  [{partner}'s turn: {spoken_duration(seconds)}. "
                                "Type what you want to share; \"I'm done\" to pass.]")
                case EndTurn(partner=partner):
                    self._write(f"  [{partner}'s turn is over]")
                case PauseStarted(seconds=seconds):
                    self._write(f"  [pause: {spoken_duration(seconds)}; "
                                "type \"continue\" to come back early]")
                case Listen(partner=partner, mode=mode):
                    self.listening = action
                    if partner and mode in ("item", "answer"):
                        self._write(f"  ({partner}, type your answer)")
                case End(reason=reason):
                    self._write(f"  [check-in ended: {reason}]")

    def _write(self, text: str) -> None:
        self.io.write.write(visible(text, newlines=True) + "\n")
        self.io.write.flush()
